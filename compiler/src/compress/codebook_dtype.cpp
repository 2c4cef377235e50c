// Storing a codebook in f16 or i8 halves or quarters its bytes; the codes are
// then re-picked against the rounded values, since the k-means assignment was
// optimal only for the unrounded ones.
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
  if (cb.centroids != before) assign_codes(set, cb.centroids, cb.codeword_count, codes);
  return cb;
}

}  // namespace yono::compress
