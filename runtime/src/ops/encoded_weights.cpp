#include "encoded_weights.h"

namespace yono {
namespace ops {

Status check_weight_layout(const OpContext& ctx, uint32_t rows, uint32_t row_length) {
  const TensorRecord& w = ctx.in(1);
  if (is_f32(w)) return Status::kOk;
  const CodeBlockRecord& b = code_block(ctx, w);
  if (b.rows != rows || b.row_length != row_length) return Status::kBadParams;
  return Status::kOk;
}

bool scratch_fits(const OpContext& ctx, uint64_t floats) {
  return floats * 4u <= ctx.model->scratch_size;
}

PqWeights pq_weights(const OpContext& ctx, const TensorRecord& t) {
  const CodeBlockRecord& b = code_block(ctx, t);
  const CodebookRecord& cb = ctx.pack->codebooks()[b.codebook];
  PqWeights w;
  w.codebook = ctx.pack->codebook_data(cb);  // segment 0's Weights, shared
  w.codebook_dtype = static_cast<CodebookDType>(cb.dtype);
  w.codebook_scale = cb.value_scale;
  w.dim = cb.dim;
  w.codeword_count = cb.codeword_count;
  w.codes = ctx.weights + b.data_offset;
  w.code_bits = b.code_bits;
  w.scales = ChannelValues(ctx.weights + b.scales_offset,
                           b.scale_dtype == static_cast<uint16_t>(ScaleDType::kF16));
  w.subvectors_per_row = b.subvectors_per_row;
  return w;
}

I8Weights i8_weights(const OpContext& ctx, const TensorRecord& t) {
  const CodeBlockRecord& b = code_block(ctx, t);
  I8Weights w;
  w.values = reinterpret_cast<const int8_t*>(ctx.weights + b.data_offset);
  w.scales = ChannelValues(ctx.weights + b.scales_offset,
                           b.scale_dtype == static_cast<uint16_t>(ScaleDType::kF16));
  return w;
}

ChannelValues bias_values(const OpContext& ctx, uint32_t has_bias) {
  if (has_bias == 0u) return ChannelValues();
  const TensorRecord& b = ctx.in(2);
  return ChannelValues(ctx.weights + b.offset, b.dtype == static_cast<uint8_t>(DType::kF16));
}

float* scratch(const OpContext& ctx) {
  const ModelRecord& m = *ctx.model;
  if (m.scratch_size == 0) return nullptr;
  return reinterpret_cast<float*>(ctx.arena + (m.arena_size - m.scratch_size));
}

}  // namespace ops
}  // namespace yono
