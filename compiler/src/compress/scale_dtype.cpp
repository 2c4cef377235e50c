// Storing per-output-channel floats as binary16 halves their bytes (2 per
// channel instead of 4): an encoding's scales (--scale-dtype) and a Conv or
// Dense bias (--bias-dtype). The values are rounded here, once, and an
// encoded tensor's decoded data recomputed from the rounded scales, so the
// float reference, the pack and the device all compute with the same numbers.
#include <cmath>
#include <variant>

#include "encoders.h"
#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/error.h"
#include "yono/half_float.h"

namespace yono::compress {
namespace {

// Nearest-even binary16. A scale is max|w| / 127 or a row RMS, a bias a
// trained offset: far inside the half range for any trained layer; outside
// it is an error, never a silently saturated value. A scale may not round to
// 0 (the row would vanish); a bias that small is within 2^-25 of 0 anyway.
float as_f16(float v, bool may_round_to_zero, const std::string& tensor, const char* what,
             const char* option) {
  const float r = half_to_float(float_to_half(v));
  if (!std::isfinite(r) || (r == 0.f && v != 0.f && !may_round_to_zero)) {
    throw Error("tensor '" + tensor + "': " + what + " " + std::to_string(v) +
                " does not fit a float16; use " + option + " f32");
  }
  return r;
}

float scale_as_f16(float s, const std::string& tensor) {
  return as_f16(s, false, tensor, "scale", "--scale-dtype");
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

void store_biases_as(CompressedModels& c, ir::FloatDType dtype) {
  if (dtype == ir::FloatDType::kF16)
    for (ir::Graph& g : c.models)
      for (const ir::Op& op : g.ops) {
        const bool weighted = std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
                              std::holds_alternative<ir::DenseAttrs>(op.attrs);
        if (!weighted || op.inputs.size() < 3) continue;
        ir::Tensor& b = g.tensors[static_cast<size_t>(op.inputs[2])];
        if (b.is_constant && std::holds_alternative<std::monostate>(b.encoding))
          b.stored = ir::FloatDType::kF16;
      }
  round_f16_constants(c);
}

void round_f16_constants(CompressedModels& c) {
  for (ir::Graph& g : c.models)
    for (ir::Tensor& t : g.tensors)
      if (t.stored == ir::FloatDType::kF16 && std::holds_alternative<std::monostate>(t.encoding))
        for (float& v : t.data) v = as_f16(v, true, t.name, "bias", "--bias-dtype");
}

}  // namespace yono::compress
