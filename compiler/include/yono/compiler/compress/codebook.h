// Learning the shared codebook: k-means over the weight sub-vectors of every
// layer of every model packed together (YONO's product quantization).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono {

struct CodebookFit {
  uint32_t dim = 0;                  // sub-vector length D
  uint32_t k = 0;                    // codewords actually produced (may be below the request)
  std::vector<float> centroids;      // k x dim, row-major
  std::vector<uint32_t> assignment;  // per input vector: index of its nearest centroid
  double mse = 0.0;                  // mean squared error per scalar over all vectors
  std::vector<std::string> warnings;
};

// K-means (FAISS) over `vectors` (n x dim, row-major), then every vector is
// assigned to its nearest centroid and no centroid is left without vectors.
// Deterministic for a given seed. K above the number of distinct vectors is
// clamped (with a warning). Throws yono::Error on empty or ragged input.
CodebookFit learn_codebook(const std::vector<float>& vectors, uint32_t dim, uint32_t k,
                           uint64_t seed, int iterations = 25);

// Squared L2 distance of two dim-long vectors, accumulated in double; the
// metric k-means and every later code (re)assignment use.
double squared_distance(const float* a, const float* b, uint32_t dim);

}  // namespace yono
