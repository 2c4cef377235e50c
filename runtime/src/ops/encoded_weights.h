// Binding of a Conv/Dense weight tensor that is stored encoded (v2): the
// TensorRecord points at a CodeBlockRecord, which points at the codes or
// int8 values, the scales and (PQ) a shared codebook, all inside Weights;
// and of its bias, f32 or f16.
// Pack::open has checked every one of those records, so binding is pointer
// arithmetic only and selecting a model stays O(1).
#pragma once

#include <stdint.h>

#include "op_table.h"
#include "yono/pq.h"

namespace yono {
namespace ops {

inline bool is_f32(const TensorRecord& t) {
  return t.dtype == static_cast<uint8_t>(DType::kF32);
}

inline const CodeBlockRecord& code_block(const OpContext& ctx, const TensorRecord& t) {
  return ctx.code_blocks[t.offset];
}

// Weight input 1 is f32, or an encoded block of exactly rows x row_length.
Status check_weight_layout(const OpContext& ctx, uint32_t rows, uint32_t row_length);

// True when the model's scratch region holds `floats` floats.
bool scratch_fits(const OpContext& ctx, uint64_t floats);

PqWeights pq_weights(const OpContext& ctx, const TensorRecord& t);
I8Weights i8_weights(const OpContext& ctx, const TensorRecord& t);

// Input 2 of a Conv/Dense with a bias: a constant of f32 or f16 values.
ChannelValues bias_values(const OpContext& ctx, uint32_t has_bias);

// Start of the model's scratch ([arena_size - scratch_size, arena_size));
// null when the model has none.
float* scratch(const OpContext& ctx);

}  // namespace ops
}  // namespace yono
