// Int8 convolution and dense layer. Accumulators wrap (yono/requant.h), so
// the fast convolutions, which sum in other orders, match the plain
// reference bit for bit.
#include "conv_s8_loops.h"
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {

namespace {

// Output channels each reading one input channel: the depthwise kernel
// applies (with any scratch); with in_c == 1 and groups == 1 im2col serves
// too and is faster when the scratch holds two windows.
bool reads_one_channel(const ConvParams& p) {
  return p.in_c / p.groups == 1;
}

// Values one decoded row or gathered window takes in the im2col kernel:
// whole codewords, even so that int16 pairs stay 4-byte aligned.
uint32_t padded_row(const ConvParams& p, const S8Weights& w) {
  uint32_t r = s8_row_scratch_values(w);
  const uint32_t row_length = p.in_c / p.groups * p.kh * p.kw;
  if (r < row_length) r = row_length;
  return (r + 1u) & ~1u;
}

}  // namespace

uint32_t conv_s8_scratch_values(const ConvParams& p, const S8Weights& w, uint32_t columns) {
  if (reads_one_channel(p) && (p.groups > 1 || columns <= 1)) {
    // One decoded row; with two or more columns' worth asked for, also a
    // padded input plane (conv_s8_loops.h).
    const uint32_t row = s8_row_scratch_values(w);
    const uint32_t plane = kernels::padded_plane_values(p);
    return columns <= 1 || plane == 0 ? row : ((row + 1u) & ~1u) + plane;
  }
  if (columns == 0) columns = 1;
  const uint32_t positions = p.out_h * p.out_w;
  if (columns > positions) columns = positions;
  return (columns + 2u) * padded_row(p, w);
}

void conv_s8(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
             const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
             uint32_t scratch_values) {
  // As many gathered windows as the scratch holds besides two rows (at
  // least one, checked by the validator against conv_s8_scratch_values(p,
  // w, 1)).
  const uint32_t row = padded_row(p, w);
  const uint32_t columns = scratch_values / row > 2u ? scratch_values / row - 2u : 0u;
  if (reads_one_channel(p) && (p.groups > 1 || columns < 2u)) {
    kernels::conv_s8_depthwise(p, w, input, in_zp, bias, o, output, scratch, scratch_values);
    return;
  }
  kernels::conv_s8_im2col(p, w, input, in_zp, bias, o, output, scratch, columns);
}

void conv_s8_reference(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
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
        const int32_t x0 = static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
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

}  // namespace yono
