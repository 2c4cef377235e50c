// The column-run int8 convolution (conv_s8_loops.h): per output channel its
// row decoded once, each weight multiplied into every output column of a
// chunk that its tap reaches, with no per-tap bound checks.
#include "conv_s8_loops.h"
#include "yono/requant.h"

namespace yono {
namespace kernels {
namespace {

// Output columns [first, end) of `span` that tap kx reads inside the input:
// 0 <= col * stride - pad + kx * dilation < in_w.
TapRange columns_reading(uint32_t kx, const ConvParams& p, uint32_t col0, uint32_t cols) {
  const int64_t shift =
      static_cast<int64_t>(kx) * p.dilation_w - p.pad_left;  // x = col * s + shift
  const int64_t s = p.stride_w;
  int64_t first = shift >= 0 ? 0 : (-shift + s - 1) / s;
  int64_t end = (static_cast<int64_t>(p.in_w) - shift + s - 1) / s;  // x < in_w
  if (first < col0) first = col0;
  if (end > static_cast<int64_t>(col0) + cols) end = static_cast<int64_t>(col0) + cols;
  if (end < first) end = first;
  return TapRange{static_cast<uint32_t>(first), static_cast<uint32_t>(end)};
}

}  // namespace

// Output rows are done kColumns at a time.
void conv_s8_columns(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                     const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  constexpr uint32_t kColumns = 64;  // 256 bytes of stack
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t out_per_group = p.out_c / p.groups;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    decode_row_s16(w, oc, scratch);
    const int8_t* group_in = input + static_cast<size_t>(oc / out_per_group) * in_per_group * plane;
    int8_t* out = output + static_cast<size_t>(oc) * p.out_h * p.out_w;
    for (uint32_t oy = 0; oy < p.out_h; ++oy) {
      const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
      const TapRange ky = taps_inside(y0, p.kh, p.dilation_h, p.in_h);
      for (uint32_t col0 = 0; col0 < p.out_w; col0 += kColumns) {
        const uint32_t cols = p.out_w - col0 < kColumns ? p.out_w - col0 : kColumns;
        uint32_t acc[kColumns];
        for (uint32_t i = 0; i < cols; ++i) acc[i] = static_cast<uint32_t>(bias[oc]);
        for (uint32_t kx = 0; kx < p.kw; ++kx) {
          const TapRange span = columns_reading(kx, p, col0, cols);
          if (span.first == span.end) continue;
          const uint32_t n = span.end - span.first;
          uint32_t* a = acc + (span.first - col0);
          const uint32_t x_first = span.first * p.stride_w + kx * p.dilation_w - p.pad_left;
          for (uint32_t ic = 0; ic < in_per_group; ++ic) {
            const int16_t* k = scratch + (ic * p.kh) * p.kw + kx;
            const int8_t* chan = group_in + ic * plane + x_first;
            for (uint32_t t = ky.first; t < ky.end; ++t) {
              const int32_t weight = k[t * p.kw];
              const int8_t* x =
                  chan + static_cast<size_t>(y0 + static_cast<int32_t>(t * p.dilation_h)) * p.in_w;
              if (p.stride_w == 1) {
                for (uint32_t i = 0; i < n; ++i)
                  a[i] += static_cast<uint32_t>((int32_t{x[i]} - in_zp) * weight);
              } else {
                for (uint32_t i = 0; i < n; ++i)
                  a[i] += static_cast<uint32_t>((int32_t{x[i * p.stride_w]} - in_zp) * weight);
              }
            }
          }
        }
        for (uint32_t i = 0; i < cols; ++i) {
          const int32_t r = requantize(static_cast<int32_t>(acc[i]), o.requant[oc]);
          out[oy * p.out_w + col0 + i] = clamp_i8(int64_t{r} + o.zero_point, o.act_min, o.act_max);
        }
      }
    }
  }
}

}  // namespace kernels
}  // namespace yono
