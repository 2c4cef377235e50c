// The int8 versions of the ops (integer execution, docs/pack-format.md).
// Session::invoke runs them when an op's output or first input is kI8. Each
// validate checks every tensor's dtype and quantization itself: all
// activations int8 (Convert: exactly one side), Conv/Dense biases and
// requantization tables int32 constants, clamps int8 values.
#include "encoded_weights.h"
#include "op_table.h"
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {
namespace ops {
namespace {

bool is_dtype(const TensorRecord& t, DType d) {
  return t.dtype == static_cast<uint8_t>(d);
}
bool is_s8_activation(const TensorRecord& t) {
  return is_dtype(t, DType::kI8) && !is_constant(t);
}
bool is_i32_constant(const TensorRecord& t) {
  return is_dtype(t, DType::kI32) && is_constant(t);
}
bool same_quant(const TensorRecord& a, const TensorRecord& b) {
  return a.quant_scale == b.quant_scale && a.quant_zero_point == b.quant_zero_point;
}
// An int8 op's clamp: whole int8 values, lo <= hi (NaN fails the range test).
bool valid_s8_clamp(float lo, float hi) {
  if (!(lo >= -128.0f && hi <= 127.0f && lo <= hi)) return false;
  return lo == static_cast<float>(static_cast<int32_t>(lo)) &&
         hi == static_cast<float>(static_cast<int32_t>(hi));
}

template <typename T>
const T* constant_data(const OpContext& ctx, uint32_t i) {
  return reinterpret_cast<const T*>(ctx.weights + ctx.in(i).offset);
}
const int8_t* s8_in(const OpContext& ctx, uint32_t i) {
  return reinterpret_cast<const int8_t*>(ctx.arena + ctx.in(i).offset);
}
int8_t* s8_out(const OpContext& ctx) {
  return reinterpret_cast<int8_t*>(ctx.arena + ctx.out().offset);
}

// Weights an int8 kernel can take: per-channel int8, or PQ over an int8 or
// int16 codebook (f32/f16 codewords have no integer lanes).
bool s8_weight_dtype(const OpContext& ctx) {
  const TensorRecord& w = ctx.in(1);
  if (is_dtype(w, DType::kI8PerChannel)) return true;
  if (!is_dtype(w, DType::kPq)) return false;
  const uint32_t dtype = ctx.pack->codebooks()[code_block(ctx, w).codebook].dtype;
  return dtype == static_cast<uint32_t>(CodebookDType::kI8) ||
         dtype == static_cast<uint32_t>(CodebookDType::kI16);
}

S8Weights s8_weights(const OpContext& ctx, uint32_t row_length) {
  const TensorRecord& w = ctx.in(1);
  S8Weights s{};
  s.row_length = row_length;
  if (is_dtype(w, DType::kPq)) {
    s.pq = pq_weights(ctx, w);
  } else {
    s.values = i8_weights(ctx, w).values;
  }
  return s;
}

bool requant_table_valid(const OpContext& ctx, uint32_t index, uint32_t entries) {
  const TensorRecord& t = ctx.in(index);
  if (!is_i32_constant(t) || elements(t) != uint64_t{entries} * 2u) return false;
  const RequantEntry* r = constant_data<RequantEntry>(ctx, index);
  for (uint32_t i = 0; i < entries; ++i)
    if (!valid_requant(r[i])) return false;
  return true;
}

// The checks Conv and Dense share once their shapes are known: x, w, bias,
// requant -> y, all int8 but the int32 constants, and `scratch_values`
// int16 values of scratch.
Status check_s8_weighted(const OpContext& ctx, uint32_t has_bias, float act_min, float act_max,
                         uint32_t rows, uint64_t scratch_values) {
  if (ctx.input_count != 4 || has_bias != 1) return Status::kBadOp;
  if (!is_s8_activation(ctx.in(0)) || !is_s8_activation(ctx.out()) || !s8_weight_dtype(ctx) ||
      !is_i32_constant(ctx.in(2))) {
    return Status::kBadOp;
  }
  if (!valid_s8_clamp(act_min, act_max) || !requant_table_valid(ctx, 3, rows)) {
    return Status::kBadParams;
  }
  if (scratch_values * 2u > ctx.model->scratch_size) return Status::kBadParams;
  return Status::kOk;
}

S8Output s8_output(const OpContext& ctx, const RequantEntry* requant, float act_min,
                   float act_max) {
  return S8Output{requant, ctx.out().quant_zero_point, static_cast<int32_t>(act_min),
                  static_cast<int32_t>(act_max)};
}

int16_t* s16_scratch(const OpContext& ctx) {
  return reinterpret_cast<int16_t*>(scratch(ctx));
}

// One int8 input, one int8 output with the same quantization.
bool same_s8_in_out(const OpContext& ctx) {
  return ctx.input_count == 1 && is_s8_activation(ctx.in(0)) && is_s8_activation(ctx.out()) &&
         same_quant(ctx.in(0), ctx.out());
}

}  // namespace

Status validate_conv_s8(const OpContext& ctx) {
  const ConvParams p = load_params<ConvParams>(ctx);
  if (ctx.input_count != 4) return Status::kBadOp;
  const Status shapes = check_conv_shapes(ctx, p);
  if (shapes != Status::kOk) return shapes;
  if (!s8_weight_dtype(ctx)) return Status::kBadOp;  // before reading PQ fields for scratch
  const uint32_t row_length = (p.in_c / p.groups) * p.kh * p.kw;
  return check_s8_weighted(ctx, p.has_bias, p.act_min, p.act_max, p.out_c,
                           conv_s8_scratch_values(p, s8_weights(ctx, row_length), 1));
}

void eval_conv_s8(const OpContext& ctx) {
  const ConvParams p = load_params<ConvParams>(ctx);
  conv_s8(p, s8_weights(ctx, (p.in_c / p.groups) * p.kh * p.kw), s8_in(ctx, 0),
          ctx.in(0).quant_zero_point, constant_data<int32_t>(ctx, 2),
          s8_output(ctx, constant_data<RequantEntry>(ctx, 3), p.act_min, p.act_max), s8_out(ctx),
          s16_scratch(ctx), ctx.model->scratch_size / 2u);
}

Status validate_dense_s8(const OpContext& ctx) {
  const DenseParams p = load_params<DenseParams>(ctx);
  if (ctx.input_count != 4) return Status::kBadOp;
  const Status shapes = check_dense_shapes(ctx, p);
  if (shapes != Status::kOk) return shapes;
  if (!s8_weight_dtype(ctx)) return Status::kBadOp;
  return check_s8_weighted(ctx, p.has_bias, p.act_min, p.act_max, p.out_features,
                           s8_row_scratch_values(s8_weights(ctx, p.in_features)));
}

void eval_dense_s8(const OpContext& ctx) {
  const DenseParams p = load_params<DenseParams>(ctx);
  dense_s8(p, s8_weights(ctx, p.in_features), s8_in(ctx, 0), ctx.in(0).quant_zero_point,
           constant_data<int32_t>(ctx, 2),
           s8_output(ctx, constant_data<RequantEntry>(ctx, 3), p.act_min, p.act_max), s8_out(ctx),
           s16_scratch(ctx));
}

Status validate_pool_s8(const OpContext& ctx) {
  if (!same_s8_in_out(ctx)) return Status::kBadOp;
  return check_pool_shapes(ctx, load_params<PoolParams>(ctx));
}

void eval_pool_s8(const OpContext& ctx) {
  pool_s8(load_params<PoolParams>(ctx), s8_in(ctx, 0), s8_out(ctx));
}

Status validate_global_pool_s8(const OpContext& ctx) {
  if (!same_s8_in_out(ctx)) return Status::kBadOp;
  const GlobalPoolParams p = load_params<GlobalPoolParams>(ctx);
  if (p.kind == static_cast<uint32_t>(PoolKind::kSum)) return Status::kBadParams;
  return check_global_pool_shapes(ctx, p);
}

void eval_global_pool_s8(const OpContext& ctx) {
  global_pool_s8(load_params<GlobalPoolParams>(ctx), s8_in(ctx, 0), s8_out(ctx));
}

Status validate_unary_s8(const OpContext& ctx) {
  const UnaryParams p = load_params<UnaryParams>(ctx);
  if (ctx.input_count != 2 || !is_s8_activation(ctx.in(0)) || !is_s8_activation(ctx.out())) {
    return Status::kBadOp;
  }
  const TensorRecord& table = ctx.in(1);
  if (!is_constant(table) || !is_dtype(table, DType::kI8) || elements(table) != 256u) {
    return Status::kBadOp;
  }
  if (p.kind > static_cast<uint32_t>(UnaryKind::kHardSwish)) return Status::kBadParams;
  if (p.count == 0 || elements(ctx.in(0)) != p.count || elements(ctx.out()) != p.count) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_unary_s8(const OpContext& ctx) {
  unary_table_s8(load_params<UnaryParams>(ctx).count, constant_data<int8_t>(ctx, 1), s8_in(ctx, 0),
                 s8_out(ctx));
}

Status validate_add_s8(const OpContext& ctx) {
  const BinaryParams p = load_params<BinaryParams>(ctx);
  if (ctx.input_count != 3 || !is_s8_activation(ctx.in(0)) || !is_s8_activation(ctx.in(1)) ||
      !is_s8_activation(ctx.out()) || !is_i32_constant(ctx.in(2))) {
    return Status::kBadOp;
  }
  if (p.kind != static_cast<uint32_t>(BinaryKind::kAdd) ||
      p.broadcast != static_cast<uint32_t>(Broadcast::kNone)) {
    return Status::kBadParams;
  }
  if (!valid_s8_clamp(p.act_min, p.act_max)) return Status::kBadParams;
  if (p.count == 0 || elements(ctx.in(0)) != p.count || elements(ctx.in(1)) != p.count ||
      elements(ctx.out()) != p.count) {
    return Status::kBadParams;
  }
  if (elements(ctx.in(2)) * 4u != sizeof(I8AddRequant)) return Status::kBadParams;
  const I8AddRequant& r = *constant_data<I8AddRequant>(ctx, 2);
  if (r.left_shift < 0 || r.left_shift > 23 || !valid_requant(r.a) || !valid_requant(r.b) ||
      !valid_requant(r.out)) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_add_s8(const OpContext& ctx) {
  const BinaryParams p = load_params<BinaryParams>(ctx);
  add_s8(p.count, s8_in(ctx, 0), ctx.in(0).quant_zero_point, s8_in(ctx, 1),
         ctx.in(1).quant_zero_point, *constant_data<I8AddRequant>(ctx, 2),
         ctx.out().quant_zero_point, static_cast<int32_t>(p.act_min),
         static_cast<int32_t>(p.act_max), s8_out(ctx));
}

Status validate_reshape_s8(const OpContext& ctx) {
  if (!same_s8_in_out(ctx)) return Status::kBadOp;
  return validate_reshape(ctx);
}

Status validate_axis_gather_s8(const OpContext& ctx) {
  if (!same_s8_in_out(ctx)) return Status::kBadOp;
  return check_axis_gather_shapes(ctx);
}

void eval_axis_gather_s8(const OpContext& ctx) {
  const auto* offsets = reinterpret_cast<const uint32_t*>(ctx.params + sizeof(AxisGatherParams));
  axis_gather_s8(load_params<AxisGatherParams>(ctx), offsets, s8_in(ctx, 0), s8_out(ctx));
}

Status validate_convert(const OpContext& ctx) {
  if (ctx.input_count != 1 || is_constant(ctx.in(0))) return Status::kBadOp;
  const bool quantize = is_dtype(ctx.in(0), DType::kF32) && is_s8_activation(ctx.out());
  const bool dequantize = is_s8_activation(ctx.in(0)) && is_dtype(ctx.out(), DType::kF32);
  if (!quantize && !dequantize) return Status::kBadOp;
  if (elements(ctx.in(0)) != elements(ctx.out())) return Status::kBadParams;
  return Status::kOk;
}

void eval_convert(const OpContext& ctx) {
  const TensorRecord& in = ctx.in(0);
  const TensorRecord& out = ctx.out();
  const uint32_t count = static_cast<uint32_t>(elements(out));
  if (is_dtype(in, DType::kF32)) {
    quantize_f32_s8(count, ctx.in_data(0), out.quant_scale, out.quant_zero_point, s8_out(ctx));
  } else {
    dequantize_s8_f32(count, s8_in(ctx, 0), in.quant_scale, in.quant_zero_point, ctx.out_data());
  }
}

}  // namespace ops
}  // namespace yono
