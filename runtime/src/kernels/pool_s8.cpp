// Reference int8 pooling with the input's quantization kept (so max and
// mean commute with dequantization, up to the mean's rounding). Windows
// follow pool_f32: padded taps never count unless count_include_pad; a window
// with no valid tap (odd ceil_mode/padding only) outputs the int8 value 0.
#include "pool_window.h"
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {
namespace {

// sum / count rounded half away from zero (TFLite's int8 average); Int is
// int32_t where the sum fits it (a hardware divide on a Cortex-M, where a
// 64-bit one is a library call).
template <typename Int>
int8_t rounded_mean(Int sum, Int count) {
  const Int half = count / 2;
  const Int q = (sum >= 0 ? sum + half : sum - half) / count;
  return clamp_i8(q, -128, 127);
}

}  // namespace

void pool_s8(const PoolParams& p, const int8_t* input, int8_t* output) {
  const bool is_max = p.kind == static_cast<uint32_t>(PoolKind::kMax);
  for (uint32_t ch = 0; ch < p.c; ++ch) {
    const int8_t* plane = input + static_cast<size_t>(ch) * p.in_h * p.in_w;
    int8_t* out = output + static_cast<size_t>(ch) * p.out_h * p.out_w;
    for (uint32_t oy = 0; oy < p.out_h; ++oy) {
      const kernels::PoolSpan ys = kernels::pool_window(oy, p.stride_h, p.pad_top, p.kh, p.in_h);
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        const kernels::PoolSpan xs = kernels::pool_window(ox, p.stride_w, p.pad_left, p.kw, p.in_w);
        int8_t result = 0;
        if (ys.lo < ys.hi && xs.lo < xs.hi) {
          int32_t best = -128;
          int64_t sum = 0;
          for (int32_t y = ys.lo; y < ys.hi; ++y) {
            for (int32_t x = xs.lo; x < xs.hi; ++x) {
              const int32_t v = plane[y * static_cast<int32_t>(p.in_w) + x];
              if (v > best) best = v;
              sum += v;
            }
          }
          if (is_max) {
            result = static_cast<int8_t>(best);
          } else {
            const int64_t valid = int64_t{ys.hi - ys.lo} * (xs.hi - xs.lo);
            const int64_t divisor =
                (p.count_include_pad != 0u) ? int64_t{ys.padded_count} * xs.padded_count : valid;
            result = rounded_mean(sum, divisor);
          }
        }
        out[oy * p.out_w + ox] = result;
      }
    }
  }
}

void global_pool_s8(const GlobalPoolParams& p, const int8_t* input, int8_t* output) {
  const bool is_max = p.kind == static_cast<uint32_t>(PoolKind::kMax);
  // Up to 2^23 values a sum fits 32 bits.
  const bool narrow = p.spatial <= (1u << 23);
  for (uint32_t ch = 0; ch < p.c; ++ch) {
    const int8_t* values = input + static_cast<size_t>(ch) * p.spatial;
    if (is_max) {
      int32_t best = -128;
      for (uint32_t i = 0; i < p.spatial; ++i)
        if (values[i] > best) best = values[i];
      output[ch] = static_cast<int8_t>(best);
    } else if (narrow) {
      int32_t sum = 0;
      for (uint32_t i = 0; i < p.spatial; ++i) sum += values[i];
      output[ch] = rounded_mean<int32_t>(sum, static_cast<int32_t>(p.spatial));
    } else {
      int64_t sum = 0;
      for (uint32_t i = 0; i < p.spatial; ++i) sum += values[i];
      output[ch] = rounded_mean<int64_t>(sum, p.spatial);
    }
  }
}

}  // namespace yono
