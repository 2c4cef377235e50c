// One axis of a pooling window, shared by the f32 and int8 pools so both
// count taps (and the PyTorch divisor rules of pool.cpp) the same way.
#pragma once

#include <stdint.h>

namespace yono {
namespace kernels {

// Half-open range of taps [lo, hi) along one axis that fall inside the input,
// plus the number of taps inside the symmetrically padded input.
struct PoolSpan {
  int32_t lo, hi;
  int32_t padded_count;
};

inline PoolSpan pool_window(uint32_t out_index, uint32_t stride, uint32_t pad, uint32_t k,
                            uint32_t in) {
  const int32_t start = static_cast<int32_t>(out_index * stride) - static_cast<int32_t>(pad);
  const int32_t end = start + static_cast<int32_t>(k);
  const int32_t padded_end = static_cast<int32_t>(in + pad);
  PoolSpan s;
  s.lo = start < 0 ? 0 : start;
  s.hi = end > static_cast<int32_t>(in) ? static_cast<int32_t>(in) : end;
  s.padded_count = (end < padded_end ? end : padded_end) - start;
  return s;
}

}  // namespace kernels
}  // namespace yono
