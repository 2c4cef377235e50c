// Reference int8 convolution and dense layer: one weight row decoded into
// int16 scratch per output channel, then a plain loop nest. Accumulators
// wrap (yono/requant.h), so faster versions may sum in any order and still
// match these bit for bit.
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {

void conv_s8(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
             const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t out_per_group = p.out_c / p.groups;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    decode_row_s16(w, oc, scratch);
    const int8_t* group_in = input + static_cast<size_t>(oc / out_per_group) * in_per_group * plane;
    int8_t* out = output + static_cast<size_t>(oc) * p.out_h * p.out_w;
    for (uint32_t oy = 0; oy < p.out_h; ++oy) {
      const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        const int32_t x0 =
            static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
        int32_t acc = bias[oc];
        const int16_t* k = scratch;
        for (uint32_t ic = 0; ic < in_per_group; ++ic) {
          const int8_t* chan = group_in + ic * plane;
          for (uint32_t ky = 0; ky < p.kh; ++ky, k += p.kw) {
            const int32_t y = y0 + static_cast<int32_t>(ky * p.dilation_h);
            if (y < 0 || y >= static_cast<int32_t>(p.in_h)) continue;
            const int8_t* row = chan + static_cast<size_t>(y) * p.in_w;
            for (uint32_t kx = 0; kx < p.kw; ++kx) {
              const int32_t x = x0 + static_cast<int32_t>(kx * p.dilation_w);
              if (x < 0 || x >= static_cast<int32_t>(p.in_w)) continue;
              acc = wrap_add(acc, (int32_t{row[x]} - in_zp) * k[kx]);
            }
          }
        }
        const int32_t r = requantize(acc, o.requant[oc]);
        out[oy * p.out_w + ox] = clamp_i8(int64_t{r} + o.zero_point, o.act_min, o.act_max);
      }
    }
  }
}

void dense_s8(const DenseParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
              const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  for (uint32_t oc = 0; oc < p.out_features; ++oc) {
    decode_row_s16(w, oc, scratch);
    int32_t acc = bias[oc];
    for (uint32_t i = 0; i < p.in_features; ++i) {
      acc = wrap_add(acc, (int32_t{input[i]} - in_zp) * scratch[i]);
    }
    const int32_t r = requantize(acc, o.requant[oc]);
    output[oc] = clamp_i8(int64_t{r} + o.zero_point, o.act_min, o.act_max);
  }
}

}  // namespace yono
