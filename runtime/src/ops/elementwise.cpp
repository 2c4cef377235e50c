// Unary, Binary and ChannelAffine: ops whose output has one element per
// element of their (largest) input.
#include "op_table.h"
#include "yono/kernels.h"

namespace yono {
namespace ops {

Status validate_unary(const OpContext& ctx) {
  const UnaryParams p = load_params<UnaryParams>(ctx);
  if (ctx.input_count != 1) return Status::kBadOp;
  if (p.kind > static_cast<uint32_t>(UnaryKind::kHardSwish)) return Status::kBadParams;
  if (p.count == 0 || elements(ctx.in(0)) != p.count || elements(ctx.out()) != p.count) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_unary(const OpContext& ctx) {
  unary_f32(load_params<UnaryParams>(ctx), ctx.in_data(0), ctx.out_data());
}

Status validate_binary(const OpContext& ctx) {
  const BinaryParams p = load_params<BinaryParams>(ctx);
  if (ctx.input_count != 2) return Status::kBadOp;
  if (p.kind > static_cast<uint32_t>(BinaryKind::kPRelu)) return Status::kBadParams;
  if (!valid_clamp(p.act_min, p.act_max)) return Status::kBadParams;
  const uint64_t count = p.count;
  if (count == 0 || elements(ctx.out()) != count) return Status::kBadParams;
  uint64_t a_elems = count;
  uint64_t b_elems = count;
  switch (static_cast<Broadcast>(p.broadcast)) {
    case Broadcast::kNone: break;
    case Broadcast::kBScalar: b_elems = 1; break;
    case Broadcast::kAScalar: a_elems = 1; break;
    case Broadcast::kBPerChannel:
    case Broadcast::kAPerChannel:
      if (p.c == 0 || uint64_t{p.c} * p.inner != count) return Status::kBadParams;
      if (p.broadcast == static_cast<uint32_t>(Broadcast::kBPerChannel)) {
        b_elems = p.c;
      } else {
        a_elems = p.c;
      }
      break;
    default: return Status::kBadParams;
  }
  if (elements(ctx.in(0)) != a_elems || elements(ctx.in(1)) != b_elems) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_binary(const OpContext& ctx) {
  binary_f32(load_params<BinaryParams>(ctx), ctx.in_data(0), ctx.in_data(1), ctx.out_data());
}

Status validate_channel_affine(const OpContext& ctx) {
  const ChannelAffineParams p = load_params<ChannelAffineParams>(ctx);
  if (ctx.input_count != 3) return Status::kBadOp;
  if (!valid_clamp(p.act_min, p.act_max)) return Status::kBadParams;
  const uint64_t count = uint64_t{p.c} * p.inner;
  if (count == 0 || elements(ctx.in(0)) != count || elements(ctx.out()) != count ||
      elements(ctx.in(1)) != p.c || elements(ctx.in(2)) != p.c) {
    return Status::kBadParams;
  }
  return Status::kOk;
}

void eval_channel_affine(const OpContext& ctx) {
  channel_affine_f32(load_params<ChannelAffineParams>(ctx), ctx.in_data(0), ctx.in_data(1),
                     ctx.in_data(2), ctx.out_data());
}

}  // namespace ops
}  // namespace yono
