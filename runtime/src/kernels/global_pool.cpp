// Reference global pooling; a separate kernel from pool_f32 because the
// classifier heads of every model end with it and it needs no window logic.
#include <float.h>

#include "yono/kernels.h"

namespace yono {

void global_pool_f32(const GlobalPoolParams& p, const float* input, float* output) {
  const bool is_max = p.kind == static_cast<uint32_t>(PoolKind::kMax);
  for (uint32_t ch = 0; ch < p.c; ++ch) {
    const float* values = input + static_cast<size_t>(ch) * p.spatial;
    if (p.spatial == 0u) {  // nothing to reduce: avoid 0/0
      output[ch] = 0.0f;
      continue;
    }
    float best = values[0];  // first value, NaN-propagating: as PyTorch
    float sum = 0.0f;
    for (uint32_t i = 0; i < p.spatial; ++i) {
      if (values[i] > best || values[i] != values[i]) best = values[i];
      sum += values[i];
    }
    if (p.kind == static_cast<uint32_t>(PoolKind::kSum)) {
      output[ch] = sum;
    } else {
      output[ch] = is_max ? best : sum / static_cast<float>(p.spatial);
    }
  }
}

}  // namespace yono
