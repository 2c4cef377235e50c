// Reference max/average pooling. The divisor rules follow PyTorch because the
// models come from PyTorch exports and must match them exactly:
//  - padded taps never win a max and never count as valid taps;
//  - count_include_pad counts the window clipped to [-pad, in + pad), where the
//    far-side pad equals the near-side one (PyTorch pads symmetrically), so the
//    extra overhang that ceil_mode adds on the bottom/right is not counted;
//  - a window with no valid tap (possible only with odd ceil_mode/padding
//    combinations) outputs 0 for both kinds, so -FLT_MAX never leaks out.
#include <float.h>

#include "pool_window.h"
#include "yono/kernels.h"

namespace yono {

void pool_f32(const PoolParams& p, const float* input, float* output) {
  const bool is_max = p.kind == static_cast<uint32_t>(PoolKind::kMax);
  for (uint32_t ch = 0; ch < p.c; ++ch) {
    const float* plane = input + static_cast<size_t>(ch) * p.in_h * p.in_w;
    float* out = output + static_cast<size_t>(ch) * p.out_h * p.out_w;
    for (uint32_t oy = 0; oy < p.out_h; ++oy) {
      const kernels::PoolSpan ys = kernels::pool_window(oy, p.stride_h, p.pad_top, p.kh, p.in_h);
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        const kernels::PoolSpan xs = kernels::pool_window(ox, p.stride_w, p.pad_left, p.kw, p.in_w);
        float result = 0.0f;
        if (ys.lo < ys.hi && xs.lo < xs.hi) {
          // Seeded from the first tap and NaN-propagating, as PyTorch: a window
          // of -inf stays -inf and a NaN is not silently dropped.
          float best = plane[ys.lo * static_cast<int32_t>(p.in_w) + xs.lo];
          float sum = 0.0f;
          for (int32_t y = ys.lo; y < ys.hi; ++y) {
            for (int32_t x = xs.lo; x < xs.hi; ++x) {
              const float v = plane[y * static_cast<int32_t>(p.in_w) + x];
              if (v > best || v != v) best = v;
              sum += v;
            }
          }
          if (is_max) {
            result = best;
          } else {
            const int32_t valid = (ys.hi - ys.lo) * (xs.hi - xs.lo);
            const int32_t divisor =
                (p.count_include_pad != 0u) ? ys.padded_count * xs.padded_count : valid;
            result = sum / static_cast<float>(divisor);
          }
        }
        out[oy * p.out_w + ox] = result;
      }
    }
  }
}

}  // namespace yono
