// Reference add/sub/mul/div and PRelu (b the slopes). Broadcasting is limited to the few shapes the
// importer emits (see Broadcast in format.h) so the kernel stays a flat loop;
// each output element is written only after both of its operands are read,
// so the output may alias either full-size operand.
#include "clamp.h"
#include "yono/kernels.h"

namespace yono {
namespace {

float combine(BinaryKind kind, float a, float b) {
  switch (kind) {
    case BinaryKind::kAdd: return a + b;
    case BinaryKind::kSub: return a - b;
    case BinaryKind::kMul: return a * b;
    case BinaryKind::kDiv: return a / b;
    case BinaryKind::kPRelu: return a >= 0.0f ? a : a * b;
  }
  return a;  // unreachable: the pack reader rejects unknown kinds
}

}  // namespace

void binary_f32(const BinaryParams& p, const float* a, const float* b, float* output) {
  const BinaryKind kind = static_cast<BinaryKind>(p.kind);
  const Broadcast mode = static_cast<Broadcast>(p.broadcast);

  if (mode == Broadcast::kBPerChannel || mode == Broadcast::kAPerChannel) {
    const bool b_small = mode == Broadcast::kBPerChannel;
    for (uint32_t ch = 0; ch < p.c; ++ch) {
      const size_t base = static_cast<size_t>(ch) * p.inner;
      const float channel_value = b_small ? b[ch] : a[ch];
      for (uint32_t j = 0; j < p.inner; ++j) {
        const float lhs = b_small ? a[base + j] : channel_value;
        const float rhs = b_small ? channel_value : b[base + j];
        output[base + j] = kernels::clamp(combine(kind, lhs, rhs), p.act_min, p.act_max);
      }
    }
    return;
  }

  for (uint32_t i = 0; i < p.count; ++i) {
    const float lhs = (mode == Broadcast::kAScalar) ? a[0] : a[i];
    const float rhs = (mode == Broadcast::kBScalar) ? b[0] : b[i];
    output[i] = kernels::clamp(combine(kind, lhs, rhs), p.act_min, p.act_max);
  }
}

}  // namespace yono
