// The int8 convolution for output channels that each read one input channel
// (depthwise; conv_s8_loops.h). Per output channel its row (kh * kw taps) is
// decoded once. Outputs whose window lies inside the input fold the zero
// point into the bias: bias - zp * sum(w) + sum x * w equals the reference's
// bias + sum (x - zp) * w modulo 2^32, which is what wrapping accumulators
// compute, so the inner loop is a load and a multiply-accumulate per tap.
// With scratch for it (conv_s8_scratch_values with 2 or more columns) each
// input channel is first copied as int16 x - zp into a plane padded with 0,
// so every window is inside, padding taps add 0 as in the reference, and a
// 3-wide kernel row is one dual multiply-accumulate and one single; with
// less, windows that reach into the padding sum (x - zp) * w over the taps
// inside.
#include "conv_s8_loops.h"
#include "yono/requant.h"

namespace yono {
namespace kernels {
namespace {

// sum x * w over a whole window, wrapping; KW > 0 fixes the kernel width
// (3: unrolled, undilated).
template <uint32_t KW>
inline uint32_t window_dot(const ConvParams& p, const int8_t* x, size_t row_pitch,
                           const int16_t* k) {
  uint32_t acc = 0;
  if (KW == 3 && p.dilation_w == 1) {
    for (uint32_t ky = 0; ky < p.kh; ++ky, k += 3, x += row_pitch * p.dilation_h) {
      acc += static_cast<uint32_t>(int32_t{x[0]} * k[0]);
      acc += static_cast<uint32_t>(int32_t{x[1]} * k[1]);
      acc += static_cast<uint32_t>(int32_t{x[2]} * k[2]);
    }
    return acc;
  }
  for (uint32_t ky = 0; ky < p.kh; ++ky, k += p.kw, x += row_pitch * p.dilation_h) {
    for (uint32_t kx = 0; kx < p.kw; ++kx)
      acc += static_cast<uint32_t>(int32_t{x[kx * p.dilation_w]} * k[kx]);
  }
  return acc;
}

// First and last output column whose window lies inside the input width;
// first > last when none does.
TapRange inside_columns(const ConvParams& p) {
  const int64_t extent = static_cast<int64_t>(p.kw - 1u) * p.dilation_w;
  const int64_t s = p.stride_w, pad = p.pad_left;
  const int64_t first = (pad + s - 1) / s;                               // ox * s - pad >= 0
  const int64_t room = static_cast<int64_t>(p.in_w) - 1 - extent + pad;  // ox * s <= room
  int64_t end = room < 0 ? 0 : room / s + 1;
  if (end > p.out_w) end = p.out_w;
  return TapRange{static_cast<uint32_t>(first < end ? first : end), static_cast<uint32_t>(end)};
}

template <uint32_t KW>
void depthwise_channels(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                        const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  const uint32_t out_per_group = p.out_c / p.groups;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;
  const uint32_t taps = p.kh * p.kw;
  const TapRange cols = inside_columns(p);
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    decode_row_s16(w, oc, scratch);
    const int16_t* k = scratch;
    uint32_t weight_sum = 0;
    for (uint32_t t = 0; t < taps; ++t) weight_sum += static_cast<uint32_t>(int32_t{k[t]});
    const uint32_t folded =
        static_cast<uint32_t>(bias[oc]) - static_cast<uint32_t>(in_zp) * weight_sum;
    const RequantEntry r = o.requant[oc];
    const int8_t* chan = input + static_cast<size_t>(oc / out_per_group) * plane;
    int8_t* out = output + static_cast<size_t>(oc) * p.out_h * p.out_w;
    for (uint32_t oy = 0; oy < p.out_h; ++oy, out += p.out_w) {
      const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
      const TapRange ky = taps_inside(y0, p.kh, p.dilation_h, p.in_h);
      const bool rows_inside = ky.first == 0 && ky.end == p.kh;
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        const int32_t x0 = static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
        uint32_t acc;
        if (rows_inside && ox >= cols.first && ox < cols.end) {
          acc = folded + window_dot<KW>(p, chan + static_cast<size_t>(y0) * p.in_w + x0, p.in_w, k);
        } else {
          const TapRange kx = taps_inside(x0, p.kw, p.dilation_w, p.in_w);
          acc = static_cast<uint32_t>(bias[oc]);
          for (uint32_t t = ky.first; t < ky.end; ++t) {
            const int8_t* row =
                chan + static_cast<size_t>(y0 + static_cast<int32_t>(t * p.dilation_h)) * p.in_w;
            for (uint32_t i = kx.first; i < kx.end; ++i) {
              const int32_t x = row[x0 + static_cast<int32_t>(i * p.dilation_w)];
              acc += static_cast<uint32_t>((x - in_zp) * k[t * p.kw + i]);
            }
          }
        }
        out[ox] = finish(static_cast<int32_t>(acc), r, o);
      }
    }
  }
}

// Input channel `chan` as x - zp into `plane` (ext_h x ext_w), 0 around it.
void pad_channel(const ConvParams& p, const int8_t* chan, int32_t zp, uint32_t ext_h,
                 uint32_t ext_w, int16_t* plane) {
  const uint32_t left = p.pad_left < ext_w ? p.pad_left : ext_w;
  uint32_t copy = ext_w - left;
  if (copy > p.in_w) copy = p.in_w;
  for (uint32_t y = 0; y < ext_h; ++y, plane += ext_w) {
    const int64_t src_y = static_cast<int64_t>(y) - p.pad_top;
    if (src_y < 0 || src_y >= p.in_h) {
      for (uint32_t x = 0; x < ext_w; ++x) plane[x] = 0;
      continue;
    }
    const int8_t* src = chan + static_cast<size_t>(src_y) * p.in_w;
    for (uint32_t x = 0; x < left; ++x) plane[x] = 0;
    // Not widen_s8: its four-per-pass loop measured no faster on these short rows.
    for (uint32_t x = 0; x < copy; ++x) plane[left + x] = static_cast<int16_t>(src[x] - zp);
    for (uint32_t x = left + copy; x < ext_w; ++x) plane[x] = 0;
  }
}

// sum x * w over a window of the padded plane; KW == 3 undilated: per kernel
// row one dual multiply-accumulate and one single.
template <uint32_t KW>
inline int32_t padded_window(const ConvParams& p, const int16_t* x, size_t pitch, const int16_t* k,
                             int32_t acc) {
  if (KW == 3 && p.dilation_w == 1) {
    for (uint32_t ky = 0; ky < p.kh; ++ky, k += 3, x += pitch * p.dilation_h) {
      acc = dual_mac(load_pair(x), load_pair(k), acc);
      acc = wrap_add(acc, int32_t{x[2]} * k[2]);
    }
    return acc;
  }
  for (uint32_t ky = 0; ky < p.kh; ++ky, k += p.kw, x += pitch * p.dilation_h) {
    for (uint32_t kx = 0; kx < p.kw; ++kx)
      acc = wrap_add(acc, int32_t{x[kx * p.dilation_w]} * k[kx]);
  }
  return acc;
}

// The 3x3 undilated case with its nine weights in registers and every
// loop bound a local (an int8 store may alias anything reached through a
// pointer, so fields read through one would be reloaded after each output).
void plane_3x3(const int16_t* plane, size_t pitch, uint32_t stride_h, uint32_t stride_w,
               uint32_t out_h, uint32_t out_w, const int16_t* k, int32_t bias, RequantEntry r,
               const S8Output& o, int8_t* out) {
  const uint32_t k01 = load_pair(k), k34 = load_pair(k + 3), k67 = load_pair(k + 6);
  const int32_t k2 = k[2], k5 = k[5], k8 = k[8];
  const int32_t zp = o.zero_point, lo = o.act_min, hi = o.act_max;
  for (uint32_t oy = 0; oy < out_h; ++oy, out += out_w) {
    const int16_t* x = plane + static_cast<size_t>(oy) * stride_h * pitch;
    for (uint32_t ox = 0; ox < out_w; ++ox, x += stride_w) {
      const int16_t* x1 = x + pitch;
      const int16_t* x2 = x1 + pitch;
      int32_t acc = dual_mac(load_pair(x), k01, bias);
      acc = dual_mac(load_pair(x1), k34, acc);
      acc = dual_mac(load_pair(x2), k67, acc);
      acc = wrap_add(acc, int32_t{x[2]} * k2);
      acc = wrap_add(acc, int32_t{x1[2]} * k5);
      acc = wrap_add(acc, int32_t{x2[2]} * k8);
      out[ox] = requantize_to_i8(acc, r, zp, lo, hi);
    }
  }
}

template <uint32_t KW>
void depthwise_padded(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                      const int32_t* bias, const S8Output& o, int8_t* output, int16_t* row,
                      int16_t* plane) {
  const uint32_t out_per_group = p.out_c / p.groups;
  const size_t in_plane = static_cast<size_t>(p.in_h) * p.in_w;
  const uint32_t ext_h = (p.out_h - 1u) * p.stride_h + (p.kh - 1u) * p.dilation_h + 1u;
  const uint32_t ext_w = (p.out_w - 1u) * p.stride_w + (p.kw - 1u) * p.dilation_w + 1u;
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    decode_row_s16(w, oc, row);
    const RequantEntry r = o.requant[oc];
    if (oc % out_per_group == 0) {  // the first output channel of its input channel
      pad_channel(p, input + static_cast<size_t>(oc / out_per_group) * in_plane, in_zp, ext_h,
                  ext_w, plane);
    }
    int8_t* out = output + static_cast<size_t>(oc) * p.out_h * p.out_w;
    if (KW == 3 && p.kh == 3 && p.dilation_h == 1 && p.dilation_w == 1) {
      plane_3x3(plane, ext_w, p.stride_h, p.stride_w, p.out_h, p.out_w, row, bias[oc], r, o, out);
      continue;
    }
    for (uint32_t oy = 0; oy < p.out_h; ++oy, out += p.out_w) {
      const int16_t* x = plane + static_cast<size_t>(oy) * p.stride_h * ext_w;
      for (uint32_t ox = 0; ox < p.out_w; ++ox, x += p.stride_w)
        out[ox] = finish(padded_window<KW>(p, x, ext_w, row, bias[oc]), r, o);
    }
  }
}

}  // namespace

void conv_s8_depthwise(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                       const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
                       uint32_t scratch_values) {
  const uint32_t row_values = (s8_row_scratch_values(w) + 1u) & ~1u;
  const uint32_t plane_values = padded_plane_values(p);
  if (plane_values != 0 && scratch_values >= row_values + plane_values) {
    int16_t* plane = scratch + row_values;
    if (p.kw == 3) {
      depthwise_padded<3>(p, w, input, in_zp, bias, o, output, scratch, plane);
    } else {
      depthwise_padded<0>(p, w, input, in_zp, bias, o, output, scratch, plane);
    }
    return;
  }
  if (p.kw == 3) {
    depthwise_channels<3>(p, w, input, in_zp, bias, o, output, scratch);
  } else {
    depthwise_channels<0>(p, w, input, in_zp, bias, o, output, scratch);
  }
}

}  // namespace kernels
}  // namespace yono
