// Ops that rearrange or normalise data without weights: Concat, Softmax,
// LogSoftmax, Pad, Reshape and AxisGather.
#include "../mem.h"
#include "op_table.h"
#include "yono/kernels.h"

namespace yono {
namespace ops {

Status validate_concat(const OpContext& ctx) {
  const ConcatParams p = load_params<ConcatParams>(ctx);
  if (ctx.input_count == 0 || ctx.input_count > kMaxOpInputs) return Status::kBadOp;
  const uint64_t row = uint64_t{p.outer} * p.inner;
  if (row == 0) return Status::kBadParams;
  uint64_t total = 0;
  for (uint32_t i = 0; i < ctx.input_count; ++i) {
    const uint64_t n = elements(ctx.in(i));
    if (n == 0 || n % row != 0) return Status::kBadParams;
    total += n;
  }
  if (elements(ctx.out()) != total) return Status::kBadParams;
  return Status::kOk;
}

void eval_concat(const OpContext& ctx) {
  const ConcatParams p = load_params<ConcatParams>(ctx);
  const float* inputs[kMaxOpInputs];
  uint32_t chunk[kMaxOpInputs];
  for (uint32_t i = 0; i < ctx.input_count; ++i) {
    inputs[i] = ctx.in_data(i);
    chunk[i] = static_cast<uint32_t>(elements(ctx.in(i)) / p.outer);
  }
  concat_f32(p, ctx.input_count, inputs, chunk, ctx.out_data());
}

Status validate_softmax(const OpContext& ctx) {
  const SoftmaxParams p = load_params<SoftmaxParams>(ctx);
  if (ctx.input_count != 1) return Status::kBadOp;
  const uint64_t count = uint64_t{p.outer} * p.axis_len * p.inner;
  if (count == 0 || elements(ctx.in(0)) != count || elements(ctx.out()) != count) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_softmax(const OpContext& ctx) {
  softmax_f32(load_params<SoftmaxParams>(ctx), ctx.in_data(0), ctx.out_data());
}

void eval_log_softmax(const OpContext& ctx) {
  log_softmax_f32(load_params<SoftmaxParams>(ctx), ctx.in_data(0), ctx.out_data());
}

Status validate_axis_gather(const OpContext& ctx) {
  return check_axis_gather_shapes(ctx);
}

Status check_axis_gather_shapes(const OpContext& ctx) {
  if (ctx.input_count != 1) return Status::kBadOp;
  if (ctx.param_size < sizeof(AxisGatherParams)) return Status::kBadParams;
  const AxisGatherParams p = load_params<AxisGatherParams>(ctx);
  if (p.rank == 0 || p.rank > kMaxRank) return Status::kBadParams;
  uint64_t count = 1;
  uint64_t table_entries = 0;
  for (uint32_t k = 0; k < kMaxRank; ++k) {
    const bool used = k < p.rank;
    if (used != (p.dims[k] != 0)) return Status::kBadParams;
    if (!used) continue;
    count *= p.dims[k];  // each factor <= 2^32 and the product is checked below
    table_entries += p.dims[k];
    if (count > kIndexLimit) return Status::kBadParams;
  }
  if (ctx.param_size != sizeof(AxisGatherParams) + table_entries * 4) return Status::kBadParams;
  if (elements(ctx.out()) != count) return Status::kBadParams;
  // The largest offset the kernel forms is the sum of each table's largest.
  const uint8_t* entry = ctx.params + sizeof(AxisGatherParams);
  uint64_t reach = 0;
  for (uint32_t k = 0; k < p.rank; ++k) {
    uint32_t largest = 0;
    for (uint32_t i = 0; i < p.dims[k]; ++i, entry += 4) {
      uint32_t v;
      rt::copy_bytes(&v, entry, 4);
      if (v > largest) largest = v;
    }
    reach += largest;
  }
  if (reach >= elements(ctx.in(0))) return Status::kBadParams;
  return Status::kOk;
}

// Params sit 4-aligned in a 4-aligned pack (rules 1 and 8), so the tables
// are read in place.
void eval_axis_gather(const OpContext& ctx) {
  const auto* offsets = reinterpret_cast<const uint32_t*>(ctx.params + sizeof(AxisGatherParams));
  axis_gather_f32(load_params<AxisGatherParams>(ctx), offsets, ctx.in_data(0), ctx.out_data());
}

Status validate_pad(const OpContext& ctx) {
  const PadParams p = load_params<PadParams>(ctx);
  if (ctx.input_count != 1) return Status::kBadOp;
  const uint64_t out_h = uint64_t{p.in_h} + p.pad_top + p.pad_bottom;
  const uint64_t out_w = uint64_t{p.in_w} + p.pad_left + p.pad_right;
  const uint64_t in_elems = uint64_t{p.c} * p.in_h * p.in_w;
  if (in_elems == 0 || elements(ctx.in(0)) != in_elems) return Status::kBadParams;
  if (out_h > kIndexLimit || out_w > kIndexLimit) return Status::kBadParams;
  if (elements(ctx.out()) != uint64_t{p.c} * out_h * out_w) return Status::kBadParams;
  return Status::kOk;
}

void eval_pad(const OpContext& ctx) {
  pad_f32(load_params<PadParams>(ctx), ctx.in_data(0), ctx.out_data());
}

Status validate_reshape(const OpContext& ctx) {
  if (ctx.input_count != 1) return Status::kBadOp;
  if (ctx.in(0).size != ctx.out().size) return Status::kBadParams;
  return Status::kOk;
}

// A planned alias shares the buffer, so there is nothing to move; otherwise
// the buffers may still overlap partially, hence memmove.
void eval_reshape(const OpContext& ctx) {
  const float* src = ctx.in_data(0);
  float* dst = ctx.out_data();
  if (src != dst) rt::move_bytes(dst, src, ctx.out().size);
}

}  // namespace ops
}  // namespace yono
