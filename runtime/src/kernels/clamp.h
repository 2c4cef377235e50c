// Shared by every kernel with a fused activation so they all clamp the same
// way. Written with comparisons rather than fminf/fmaxf so a NaN propagates
// (as it does in PyTorch) instead of silently becoming a bound.
#pragma once

namespace yono {
namespace kernels {

inline float clamp(float v, float lo, float hi) {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

}  // namespace kernels
}  // namespace yono
