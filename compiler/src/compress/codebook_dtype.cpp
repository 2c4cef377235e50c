// Storing a codebook in f16 or i8 halves or quarters its bytes; the codes are
// then re-picked against the rounded values, since the k-means assignment was
// optimal only for the unrounded ones.
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "encoders.h"
#include "yono/compiler/compress/codebook.h"
#include "yono/half_float.h"

namespace yono::compress {
namespace {

constexpr float kF16Max = 65504.f;

// Nearest-even binary16 value. Centroids of RMS-normalised rows are O(1), so
// saturating instead of overflowing to infinity never loses anything real.
float round_to_f16(float f) {
  if (!std::isfinite(f) || f == 0.f) return f;
  const float r = half_to_float(float_to_half(f));
  return std::isinf(r) ? std::copysign(kF16Max, f) : r;
}

// The writer stores an i8 codebook as int8 values and value_scale; it can
// only recover the scale from the stored values as max|c| / 127. So the scale
// is chosen such that recomputing it from the rounded values gives it back.
float i8_scale(const std::vector<float>& c) {
  float peak = 0.f;
  for (float v : c) peak = std::max(peak, std::fabs(v));
  float s = peak / 127.f;
  for (int i = 0; i < 8; ++i) {
    const float again = (127.f * s) / 127.f;
    if (again == s) break;
    s = again;
  }
  return s;
}

// Nearest stored codeword of every vector over its valid lanes. FAISS
// proposes one for full vectors; the exact distance then decides between it
// and the current code, so no code ever gets worse. Tail vectors, whose
// padding lanes must not count, are searched exhaustively.
void reassign(const SubvectorSet& set, const std::vector<float>& centroids, uint32_t k,
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

}  // namespace

void round_centroids(std::vector<float>& centroids, ir::CodebookDType dtype) {
  if (dtype == ir::CodebookDType::kF16) {
    for (float& v : centroids) v = round_to_f16(v);
  } else if (dtype == ir::CodebookDType::kI8) {
    const float s = i8_scale(centroids);
    if (!(s > 0.f)) return;  // all zero: already exact
    for (float& v : centroids) {
      v = s * std::clamp(std::nearbyint(v / s), -127.f, 127.f);
    }
  }
}

ir::Codebook finish_codebook(const std::string& name, CodebookFit fit, const SubvectorSet& set,
                             ir::CodebookDType dtype, std::vector<uint32_t>& codes) {
  codes = std::move(fit.assignment);
  // One distinct sub-vector (e.g. an all-zero layer) gives one codeword; the
  // format wants two. The spare one is never referenced.
  while (fit.k < 2) {
    fit.centroids.insert(fit.centroids.end(), fit.dim, 0.f);
    ++fit.k;
  }
  ir::Codebook cb;
  cb.name = name;
  cb.dim = fit.dim;
  cb.codeword_count = fit.k;
  cb.dtype = dtype;
  cb.centroids = std::move(fit.centroids);
  const std::vector<float> before = cb.centroids;
  round_centroids(cb.centroids, dtype);
  if (cb.centroids != before) reassign(set, cb.centroids, cb.codeword_count, codes);
  return cb;
}

}  // namespace yono::compress
