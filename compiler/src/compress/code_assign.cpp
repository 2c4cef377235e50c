// Picking codes against a fixed set of codewords: after rounding a codebook
// to its stored dtype, and for every layer compressed against a frozen one.
#include <faiss/IndexFlat.h>
#include <omp.h>

#include "encoders.h"
#include "yono/compiler/compress/codebook.h"

namespace yono::compress {

// Nearest stored codeword of every vector over its valid lanes. FAISS
// proposes one for full vectors; the exact distance then decides between it
// and the current code, so no code ever gets worse. Tail vectors, whose
// padding lanes must not count, are searched exhaustively.
void assign_codes(const SubvectorSet& set, const std::vector<float>& centroids, uint32_t k,
                  std::vector<uint32_t>& codes) {
  const uint32_t dim = set.dim;
  const size_t n = set.valid.size();
  std::vector<faiss::Index::idx_t> proposal(n, 0);
  {
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);  // same codes every run
    faiss::IndexFlatL2 index(dim);
    index.add(k, centroids.data());
    std::vector<float> distances(n);
    index.search(static_cast<faiss::Index::idx_t>(n), set.vectors.data(), 1, distances.data(),
                 proposal.data());
    omp_set_num_threads(saved);
  }
  for (size_t i = 0; i < n; ++i) {
    const float* v = set.vectors.data() + i * dim;
    const uint32_t lanes = set.valid[i];
    auto dist = [&](uint32_t c) {
      return squared_distance(v, centroids.data() + size_t{c} * dim, lanes);
    };
    uint32_t best = codes[i];
    double best_d = dist(best);
    if (lanes < dim) {
      for (uint32_t c = 0; c < k; ++c) {
        const double d = dist(c);
        if (d < best_d) best = c, best_d = d;
      }
    } else if (proposal[i] >= 0 && static_cast<uint32_t>(proposal[i]) < k) {
      const auto c = static_cast<uint32_t>(proposal[i]);
      if (dist(c) < best_d) best = c;
    }
    codes[i] = best;
  }
}

}  // namespace yono::compress
