// Reference element-wise activations that could not be fused into the
// producing op. Each element is read before it is written, so the planner
// may run these in place.
#include "portable_math.h"
#include "yono/kernels.h"

namespace yono {
namespace {

float unit_clamp(float v) {
  if (v < 0.0f) return 0.0f;
  if (v > 1.0f) return 1.0f;
  return v;
}

float apply(UnaryKind kind, float x, float alpha, float beta) {
  switch (kind) {
    case UnaryKind::kRelu: return x > 0.0f ? x : 0.0f;
    case UnaryKind::kLeakyRelu: return x >= 0.0f ? x : alpha * x;
    case UnaryKind::kClip: return x < alpha ? alpha : (x > beta ? beta : x);
    case UnaryKind::kSigmoid: return kernels::sigmoid_f32(x);
    case UnaryKind::kTanh: return kernels::tanh_f32(x);
    case UnaryKind::kHardSigmoid: return unit_clamp(alpha * x + beta);
    case UnaryKind::kHardSwish: return x * unit_clamp(x / 6.0f + 0.5f);
  }
  return x;  // unreachable: the pack reader rejects unknown kinds
}

}  // namespace

void unary_f32(const UnaryParams& p, const float* input, float* output) {
  const UnaryKind kind = static_cast<UnaryKind>(p.kind);
  for (uint32_t i = 0; i < p.count; ++i) output[i] = apply(kind, input[i], p.alpha, p.beta);
}

}  // namespace yono
