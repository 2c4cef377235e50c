// Storing an encoding's per-row scales as binary16 halves their bytes (2 per
// output channel instead of 4). The scales are rounded here, once, and the
// tensor's decoded data recomputed from the rounded values, so the float
// reference, the pack and the device all compute with the same weights.
#include <cmath>
#include <variant>

#include "encoders.h"
#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/error.h"
#include "yono/half_float.h"

namespace yono::compress {
namespace {

// Nearest-even binary16. A scale is max|w| / 127 or a row RMS: far inside
// the half range for any trained weight; outside it is an error, never a
// silently saturated weight.
float scale_as_f16(float s, const std::string& tensor) {
  const float r = half_to_float(float_to_half(s));
  if (!std::isfinite(r) || (r == 0.f && s != 0.f)) {
    throw Error("tensor '" + tensor + "': scale " + std::to_string(s) +
                " does not fit a float16; use --scale-dtype f32");
  }
  return r;
}

}  // namespace

void store_scales_as(ir::Tensor& t, ir::ScaleDType dtype,
                     const std::vector<ir::Codebook>& codebooks) {
  if (dtype == ir::ScaleDType::kF32) return;
  if (auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
    if (pq->scale_dtype == dtype) return;
    for (float& s : pq->scales) s = scale_as_f16(s, t.name);
    pq->scale_dtype = dtype;
    const ir::Codebook& cb = codebooks.at(static_cast<size_t>(pq->codebook));
    const auto rows = static_cast<uint32_t>(pq->scales.size());
    t.data = reconstruct_rows(cb.centroids, cb.dim, pq->codes, pq->scales, rows,
                              static_cast<uint32_t>(t.data.size() / rows));
  } else if (auto* i8 = std::get_if<ir::Int8Encoding>(&t.encoding)) {
    if (i8->scale_dtype == dtype) return;
    for (float& s : i8->scales) s = scale_as_f16(s, t.name);
    i8->scale_dtype = dtype;
    const size_t row_len = t.data.size() / i8->scales.size();
    for (size_t i = 0; i < t.data.size(); ++i)
      t.data[i] = i8->scales[i / row_len] * static_cast<float>(i8->values[i]);
  }
}

void store_scales_as(CompressedModels& c, ir::ScaleDType dtype) {
  for (ir::Graph& g : c.models)
    for (ir::Tensor& t : g.tensors) store_scales_as(t, dtype, c.codebooks);
}

}  // namespace yono::compress
