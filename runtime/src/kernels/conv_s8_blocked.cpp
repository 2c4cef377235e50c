// The im2col int8 convolutions (conv_s8_loops.h). Channel-blocked: CMSIS-NN's scheme
// on channel-major tensors: rows of `block` output channels are decoded once
// into int16 scratch (PQ codewords or widened int8), then for every pair of
// output positions the two input windows are gathered as int16 (x - zero
// point, 0 in the padding) in the rows' (ic, ky, kx) order, and each row
// meets both columns in one pass: per two int16 pairs of a row and two of
// the columns, four dual multiply-accumulates. The gather is paid once per
// block, the decode once per layer. Position-major, when scratch holds too
// few rows for blocks to pay: each pair of windows gathered once and every
// output channel's row decoded against it (the decode paid once per pair of
// positions instead of the gather once per channel).
#include "conv_s8_loops.h"
#include "yono/requant.h"

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

namespace yono {
namespace kernels {
namespace {

inline uint32_t load_pair(const int16_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

// acc + a.lo * b.lo + a.hi * b.hi, wrapping: SMLAD where the core has it.
inline int32_t dual_mac(uint32_t a, uint32_t b, int32_t acc) {
#if defined(__ARM_FEATURE_DSP)
  return __smlad(static_cast<int16x2_t>(a), static_cast<int16x2_t>(b), acc);
#else
  const int32_t lo = int32_t{static_cast<int16_t>(a & 0xffffu)} * static_cast<int16_t>(b & 0xffffu);
  const int32_t hi = int32_t{static_cast<int16_t>(a >> 16)} * static_cast<int16_t>(b >> 16);
  return wrap_add(wrap_add(acc, lo), hi);
#endif
}

struct Window {
  const int8_t* group_in;  // the group's first input channel
  uint32_t channels;       // input channels per group
  size_t plane;
};

// The window of output position (oy, ox) as row_length int16 values, x -
// zero point, taps in the padding 0.
void gather_column(const ConvParams& p, const Window& win, int32_t zp, uint32_t oy, uint32_t ox,
                   int16_t* col) {
  const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
  const int32_t x0 = static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
  const TapRange ky = taps_inside(y0, p.kh, p.dilation_h, p.in_h);
  const TapRange kx = taps_inside(x0, p.kw, p.dilation_w, p.in_w);
  const bool inside = ky.first == 0 && ky.end == p.kh && kx.first == 0 && kx.end == p.kw;
  for (uint32_t ic = 0; ic < win.channels; ++ic) {
    const int8_t* chan = win.group_in + ic * win.plane;
    for (uint32_t t = 0; t < p.kh; ++t, col += p.kw) {
      if (inside || (t >= ky.first && t < ky.end)) {
        const int8_t* row =
            chan + static_cast<size_t>(y0 + static_cast<int32_t>(t * p.dilation_h)) * p.in_w;
        if (inside) {
          for (uint32_t i = 0; i < p.kw; ++i) {
            col[i] = static_cast<int16_t>(row[x0 + static_cast<int32_t>(i * p.dilation_w)] - zp);
          }
        } else {
          for (uint32_t i = 0; i < p.kw; ++i) {
            col[i] =
                (i >= kx.first && i < kx.end)
                    ? static_cast<int16_t>(row[x0 + static_cast<int32_t>(i * p.dilation_w)] - zp)
                    : int16_t{0};
          }
        }
      } else {
        for (uint32_t i = 0; i < p.kw; ++i) col[i] = 0;
      }
    }
  }
}

// The scratch of both loop nests: two gathered columns, then decoded rows,
// each `stride` (even) values apart; a column's odd tail lane stays 0.
struct Im2col {
  uint32_t row_length, stride, pairs;
  int16_t *col0, *col1, *rows;
};

Im2col im2col_layout(const ConvParams& p, const S8Weights& w, int16_t* scratch) {
  Im2col c;
  c.row_length = p.in_c / p.groups * p.kh * p.kw;
  c.stride = s8_row_scratch_values(w);
  if (c.stride < c.row_length) c.stride = c.row_length;
  c.stride = (c.stride + 1u) & ~1u;
  c.pairs = (c.row_length + 1u) / 2u;
  c.col0 = scratch;
  c.col1 = scratch + c.stride;
  c.rows = scratch + 2u * c.stride;
  c.col0[c.stride - 1u] = c.col1[c.stride - 1u] = 0;
  return c;
}

// Both windows of positions pos and pos + 1 (when `two`) into the columns.
void gather_pair(const ConvParams& p, const Window& win, int32_t zp, uint32_t pos, bool two,
                 const Im2col& c) {
  gather_column(p, win, zp, pos / p.out_w, pos % p.out_w, c.col0);
  if (two) gather_column(p, win, zp, (pos + 1u) / p.out_w, (pos + 1u) % p.out_w, c.col1);
  if (c.row_length % 2u != 0u) c.col0[c.row_length] = c.col1[c.row_length] = 0;
}

inline int8_t finish(int32_t acc, RequantEntry r, const S8Output& o) {
  return clamp_i8(int64_t{requantize(acc, r)} + o.zero_point, o.act_min, o.act_max);
}

}  // namespace

void conv_s8_blocked(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                     const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
                     uint32_t block) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t out_per_group = p.out_c / p.groups;
  const Im2col c = im2col_layout(p, w, scratch);
  const uint32_t stride = c.stride, pairs = c.pairs;
  const int16_t* col0 = c.col0;
  const int16_t* col1 = c.col1;
  int16_t* rows = c.rows;
  const uint32_t positions = p.out_h * p.out_w;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;

  for (uint32_t g = 0; g < p.groups; ++g) {
    const Window win{input + static_cast<size_t>(g) * in_per_group * plane, in_per_group, plane};
    for (uint32_t first = g * out_per_group; first < (g + 1u) * out_per_group; first += block) {
      uint32_t n = (g + 1u) * out_per_group - first;
      if (n > block) n = block;
      for (uint32_t b = 0; b < n; ++b) decode_row_s16(w, first + b, rows + b * stride);
      for (uint32_t pos = 0; pos < positions; pos += 2u) {
        const bool two = pos + 1u < positions;
        gather_pair(p, win, in_zp, pos, two, c);
        uint32_t b = 0;
        for (; b + 2u <= n; b += 2u) {  // two channels x two positions
          const int16_t* w0 = rows + b * stride;
          const int16_t* w1 = w0 + stride;
          const uint32_t oc = first + b;
          int32_t a00 = bias[oc], a01 = bias[oc], a10 = bias[oc + 1u], a11 = bias[oc + 1u];
          for (uint32_t i = 0; i < pairs; ++i) {
            const uint32_t c0 = load_pair(col0 + 2u * i), c1 = load_pair(col1 + 2u * i);
            const uint32_t v0 = load_pair(w0 + 2u * i), v1 = load_pair(w1 + 2u * i);
            a00 = dual_mac(v0, c0, a00);
            a01 = dual_mac(v0, c1, a01);
            a10 = dual_mac(v1, c0, a10);
            a11 = dual_mac(v1, c1, a11);
          }
          int8_t* y0 = output + static_cast<size_t>(oc) * positions + pos;
          int8_t* y1 = y0 + positions;
          y0[0] = finish(a00, o.requant[oc], o);
          y1[0] = finish(a10, o.requant[oc + 1u], o);
          if (two) {
            y0[1] = finish(a01, o.requant[oc], o);
            y1[1] = finish(a11, o.requant[oc + 1u], o);
          }
        }
        if (b < n) {  // an odd last channel
          const int16_t* w0 = rows + b * stride;
          const uint32_t oc = first + b;
          int32_t a00 = bias[oc], a01 = bias[oc];
          for (uint32_t i = 0; i < pairs; ++i) {
            const uint32_t v0 = load_pair(w0 + 2u * i);
            a00 = dual_mac(v0, load_pair(col0 + 2u * i), a00);
            a01 = dual_mac(v0, load_pair(col1 + 2u * i), a01);
          }
          int8_t* y0 = output + static_cast<size_t>(oc) * positions + pos;
          y0[0] = finish(a00, o.requant[oc], o);
          if (two) y0[1] = finish(a01, o.requant[oc], o);
        }
      }
    }
  }
}

void conv_s8_positions(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                       const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t out_per_group = p.out_c / p.groups;
  const Im2col c = im2col_layout(p, w, scratch);
  const uint32_t pairs = c.pairs;
  const int16_t* col0 = c.col0;
  const int16_t* col1 = c.col1;
  int16_t* row = c.rows;
  const uint32_t positions = p.out_h * p.out_w;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;
  for (uint32_t g = 0; g < p.groups; ++g) {
    const Window win{input + static_cast<size_t>(g) * in_per_group * plane, in_per_group, plane};
    for (uint32_t pos = 0; pos < positions; pos += 2u) {
      const bool two = pos + 1u < positions;
      gather_pair(p, win, in_zp, pos, two, c);
      for (uint32_t oc = g * out_per_group; oc < (g + 1u) * out_per_group; ++oc) {
        decode_row_s16(w, oc, row);
        int32_t a0 = bias[oc], a1 = bias[oc];
        for (uint32_t i = 0; i < pairs; ++i) {
          const uint32_t v = load_pair(row + 2u * i);
          a0 = dual_mac(v, load_pair(col0 + 2u * i), a0);
          a1 = dual_mac(v, load_pair(col1 + 2u * i), a1);
        }
        int8_t* y = output + static_cast<size_t>(oc) * positions + pos;
        y[0] = finish(a0, o.requant[oc], o);
        if (two) y[1] = finish(a1, o.requant[oc], o);
      }
    }
  }
}

}  // namespace kernels
}  // namespace yono
