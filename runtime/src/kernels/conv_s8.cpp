// Int8 convolution and dense layer. Accumulators wrap (yono/requant.h), so
// the fast convolutions, which sum in other orders, match the plain
// reference bit for bit.
#include "conv_s8_loops.h"
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {

namespace {

bool reads_one_channel(const ConvParams& p) {
  return p.in_c / p.groups == 1;
}

// Values one decoded row takes in the blocked kernel: whole codewords, even
// so that int16 pairs stay 4-byte aligned.
uint32_t padded_row(const ConvParams& p, const S8Weights& w) {
  uint32_t r = s8_row_scratch_values(w);
  const uint32_t row_length = p.in_c / p.groups * p.kh * p.kw;
  if (r < row_length) r = row_length;
  return (r + 1u) & ~1u;
}

}  // namespace

uint32_t conv_s8_scratch_values(const ConvParams& p, const S8Weights& w, uint32_t block) {
  if (reads_one_channel(p)) return s8_row_scratch_values(w);
  const uint32_t per_group = p.out_c / p.groups;
  if (block > per_group) block = per_group;
  if (block == 0) block = 1;
  return (block + 2u) * padded_row(p, w);
}

void conv_s8(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
             const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
             uint32_t scratch_values) {
  if (reads_one_channel(p)) {
    kernels::conv_s8_columns(p, w, input, in_zp, bias, o, output, scratch);
    return;
  }
  // As many channels per block as the scratch holds (at least one, checked
  // by the validator against conv_s8_scratch_values(p, w, 1)); below
  // kMinBlock channels a gathered window serves too few rows, and decoding
  // each row per pair of positions is cheaper.
  constexpr uint32_t kMinBlock = 4;
  const uint32_t row = padded_row(p, w);
  uint32_t block = scratch_values / row - 2u;
  const uint32_t per_group = p.out_c / p.groups;
  if (block > per_group) block = per_group;
  if (block < kMinBlock && block < per_group) {
    kernels::conv_s8_positions(p, w, input, in_zp, bias, o, output, scratch);
    return;
  }
  kernels::conv_s8_blocked(p, w, input, in_zp, bias, o, output, scratch, block);
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
