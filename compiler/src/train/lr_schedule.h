// The learning-rate schedule training and fine-tuning share.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace yono::train {

// Multiplier of the peak rate at `step` of `total`: linear warm-up over the
// first 3% of steps (from 10%), then cosine to 0. Warm-up keeps early steps
// on fresh batch norms (training) or freshly tied codebooks (fine-tuning)
// from diverging.
inline double lr_schedule(int64_t step, int64_t total) {
  const int64_t warmup = std::max<int64_t>(1, total * 3 / 100);
  if (step < warmup) return 0.1 + 0.9 * static_cast<double>(step) / static_cast<double>(warmup);
  const double t = static_cast<double>(step - warmup) /
                   static_cast<double>(std::max<int64_t>(1, total - warmup));
  return 0.5 * (1.0 + std::cos(3.141592653589793 * t));
}

}  // namespace yono::train
