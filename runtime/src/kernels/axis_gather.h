// The AxisGather walk for any element type (f32 and int8 activations move
// the same way): an odometer over the iteration dims; the innermost axis is a
// plain table-driven copy, and the base offset of the outer axes is re-summed
// only when the odometer carries.
#pragma once

#include <stdint.h>

#include "yono/format.h"

namespace yono {
namespace kernels {

template <typename T>
void axis_gather(const AxisGatherParams& p, const uint32_t* offsets, const T* input, T* output) {
  const uint32_t* table[kMaxRank];
  uint32_t index[kMaxRank] = {};
  for (uint32_t k = 0; k < p.rank; ++k) {
    table[k] = offsets;
    offsets += p.dims[k];
  }
  const uint32_t last = p.rank - 1;
  const uint32_t* inner = table[last];
  const uint32_t inner_len = p.dims[last];
  for (;;) {
    uint32_t base = 0;
    for (uint32_t k = 0; k < last; ++k) base += table[k][index[k]];
    for (uint32_t i = 0; i < inner_len; ++i) *output++ = input[base + inner[i]];
    uint32_t k = last;
    while (k > 0) {
      --k;
      if (++index[k] < p.dims[k]) break;
      index[k] = 0;
      if (k == 0) return;
    }
    if (last == 0) return;
  }
}

}  // namespace kernels
}  // namespace yono
