#include "op_table.h"
#include "yono/kernels.h"

namespace yono {
namespace ops {

Status validate_pool(const OpContext& ctx) {
  return check_pool_shapes(ctx, load_params<PoolParams>(ctx));
}

Status check_pool_shapes(const OpContext& ctx, const PoolParams& p) {
  if (ctx.input_count != 1) return Status::kBadOp;
  if (p.kind > static_cast<uint32_t>(PoolKind::kAverage) || p.count_include_pad > 1) {
    return Status::kBadParams;
  }
  if (p.c == 0) return Status::kBadParams;
  if (!valid_window_axis(p.in_h, p.out_h, p.kh, p.stride_h, 1, p.pad_top) ||
      !valid_window_axis(p.in_w, p.out_w, p.kw, p.stride_w, 1, p.pad_left)) {
    return Status::kBadParams;
  }
  // The average divisor is a product of per-axis tap counts (each <= k).
  if (uint64_t{p.kh} * p.kw > kIndexLimit) return Status::kBadParams;
  if (elements(ctx.in(0)) != uint64_t{p.c} * p.in_h * p.in_w ||
      elements(ctx.out()) != uint64_t{p.c} * p.out_h * p.out_w) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_pool(const OpContext& ctx) {
  pool_f32(load_params<PoolParams>(ctx), ctx.in_data(0), ctx.out_data());
}

Status validate_global_pool(const OpContext& ctx) {
  return check_global_pool_shapes(ctx, load_params<GlobalPoolParams>(ctx));
}

Status check_global_pool_shapes(const OpContext& ctx, const GlobalPoolParams& p) {
  if (ctx.input_count != 1) return Status::kBadOp;
  if (p.kind > static_cast<uint32_t>(PoolKind::kSum)) return Status::kBadParams;
  if (p.c == 0 || p.spatial == 0) return Status::kBadParams;
  if (elements(ctx.in(0)) != uint64_t{p.c} * p.spatial || elements(ctx.out()) != p.c) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_global_pool(const OpContext& ctx) {
  global_pool_f32(load_params<GlobalPoolParams>(ctx), ctx.in_data(0), ctx.out_data());
}

}  // namespace ops
}  // namespace yono
