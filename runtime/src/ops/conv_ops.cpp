// Conv and Dense: the only ops whose weights must be pack constants, so
// their kernels can read them straight from flash, as float32 or (v2)
// encoded as PQ codes or per-channel int8 that the kernels decode in place.
#include "encoded_weights.h"
#include "op_table.h"
#include "yono/kernels.h"
#include "yono/pq.h"

namespace yono {
namespace ops {

Status check_conv_shapes(const OpContext& ctx, const ConvParams& p) {
  if (p.has_bias > 1 || ctx.input_count < 2 + p.has_bias) return Status::kBadOp;
  if (is_constant(ctx.in(0)) || !is_constant(ctx.in(1))) return Status::kBadOp;
  if (p.has_bias && !is_constant(ctx.in(2))) return Status::kBadOp;
  if (p.in_c == 0 || p.out_c == 0 || p.groups == 0) return Status::kBadParams;
  if (p.in_c % p.groups != 0 || p.out_c % p.groups != 0) return Status::kBadParams;
  if (!valid_window_axis(p.in_h, p.out_h, p.kh, p.stride_h, p.dilation_h, p.pad_top) ||
      !valid_window_axis(p.in_w, p.out_w, p.kw, p.stride_w, p.dilation_w, p.pad_left)) {
    return Status::kBadParams;
  }
  const uint64_t in_elems = uint64_t{p.in_c} * p.in_h * p.in_w;
  const uint64_t out_elems = uint64_t{p.out_c} * p.out_h * p.out_w;
  const uint64_t w_elems = uint64_t{p.out_c} * (p.in_c / p.groups) * p.kh * p.kw;
  if (elements(ctx.in(0)) != in_elems || elements(ctx.out()) != out_elems ||
      elements(ctx.in(1)) != w_elems) {
    return Status::kBadParams;
  }
  if (p.has_bias && elements(ctx.in(2)) != p.out_c) return Status::kBadParams;
  // Rows are output channels of (in_c / groups) * kh * kw weights; the
  // product fits in 32 bits since it is at most the element count above.
  return check_weight_layout(ctx, p.out_c, (p.in_c / p.groups) * p.kh * p.kw);
}

Status validate_conv(const OpContext& ctx) {
  const ConvParams p = load_params<ConvParams>(ctx);
  if (ctx.input_count != 2 + p.has_bias) return Status::kBadOp;
  if (!valid_clamp(p.act_min, p.act_max)) return Status::kBadParams;
  const Status shapes = check_conv_shapes(ctx, p);
  if (shapes != Status::kOk) return shapes;
  const TensorRecord& w = ctx.in(1);
  if (w.dtype == static_cast<uint8_t>(DType::kPq) &&
      !scratch_fits(ctx, conv_pq_scratch_floats(p, pq_weights(ctx, w)))) {
    return Status::kBadParams;
  }
  if (w.dtype == static_cast<uint8_t>(DType::kI8PerChannel) &&
      !scratch_fits(ctx, conv_i8w_scratch_floats(p))) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_conv(const OpContext& ctx) {
  const ConvParams p = load_params<ConvParams>(ctx);
  const ChannelValues bias = bias_values(ctx, p.has_bias);
  const TensorRecord& w = ctx.in(1);
  if (w.dtype == static_cast<uint8_t>(DType::kPq)) {
    conv_pq_f32(p, pq_weights(ctx, w), ctx.in_data(0), bias, ctx.out_data(), scratch(ctx));
  } else if (w.dtype == static_cast<uint8_t>(DType::kI8PerChannel)) {
    conv_i8w_f32(p, i8_weights(ctx, w), ctx.in_data(0), bias, ctx.out_data(), scratch(ctx));
  } else {
    conv_f32(p, ctx.in_data(0), ctx.in_data(1), bias, ctx.out_data());
  }
}

Status check_dense_shapes(const OpContext& ctx, const DenseParams& p) {
  if (p.has_bias > 1 || ctx.input_count < 2 + p.has_bias) return Status::kBadOp;
  if (is_constant(ctx.in(0)) || !is_constant(ctx.in(1))) return Status::kBadOp;
  if (p.has_bias && !is_constant(ctx.in(2))) return Status::kBadOp;
  if (p.in_features == 0 || p.out_features == 0) return Status::kBadParams;
  if (elements(ctx.in(0)) != p.in_features || elements(ctx.out()) != p.out_features ||
      elements(ctx.in(1)) != uint64_t{p.in_features} * p.out_features) {
    return Status::kBadParams;
  }
  if (p.has_bias && elements(ctx.in(2)) != p.out_features) return Status::kBadParams;
  return check_weight_layout(ctx, p.out_features, p.in_features);
}

Status validate_dense(const OpContext& ctx) {
  const DenseParams p = load_params<DenseParams>(ctx);
  if (ctx.input_count != 2 + p.has_bias) return Status::kBadOp;
  if (!valid_clamp(p.act_min, p.act_max)) return Status::kBadParams;
  const Status shapes = check_dense_shapes(ctx, p);
  if (shapes != Status::kOk) return shapes;
  const TensorRecord& w = ctx.in(1);
  if (w.dtype == static_cast<uint8_t>(DType::kPq) &&
      !scratch_fits(ctx, dense_pq_scratch_floats(p, pq_weights(ctx, w)))) {
    return Status::kBadParams;
  }
  if (w.dtype == static_cast<uint8_t>(DType::kI8PerChannel) &&
      !scratch_fits(ctx, dense_i8w_scratch_floats(p))) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_dense(const OpContext& ctx) {
  const DenseParams p = load_params<DenseParams>(ctx);
  const ChannelValues bias = bias_values(ctx, p.has_bias);
  const TensorRecord& w = ctx.in(1);
  if (w.dtype == static_cast<uint8_t>(DType::kPq)) {
    dense_pq_f32(p, pq_weights(ctx, w), ctx.in_data(0), bias, ctx.out_data(), scratch(ctx));
  } else if (w.dtype == static_cast<uint8_t>(DType::kI8PerChannel)) {
    dense_i8w_f32(p, i8_weights(ctx, w), ctx.in_data(0), bias, ctx.out_data(), scratch(ctx));
  } else {
    dense_f32(p, ctx.in_data(0), ctx.in_data(1), bias, ctx.out_data());
  }
}

}  // namespace ops
}  // namespace yono
