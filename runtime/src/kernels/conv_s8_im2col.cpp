// The im2col int8 convolution (conv_s8_loops.h), CMSIS-NN's scheme turned
// for channel-major tensors and compressed weights: a batch of output
// positions' input windows is gathered as int16 columns (x - zero point, 0 in
// the padding) in the weight rows' (ic, ky, kx) order; then every pair of
// output channels has its two rows decoded into scratch (PQ codewords or
// widened int8) and each row pair meets each column pair in one pass: per
// two int16 lanes of the rows and the columns, four dual multiply-accumulates.
// A gathered window serves every output channel (the gather is paid once per
// position, as in CMSIS-NN), and a decoded row serves the whole batch (the
// decode is paid once per `columns` positions), so the batch is as wide as
// the scratch allows.
#include "conv_s8_loops.h"
#include "yono/requant.h"

namespace yono {
namespace kernels {
namespace {

struct Window {
  const int8_t* group_in;  // the group's first input channel
  uint32_t channels;       // input channels per group
  size_t plane;
};

// A window inside the input, undilated: kernel rows are runs of kw bytes,
// walked by pointer (1x1 and 3-wide kernels unrolled).
void gather_inside(const ConvParams& p, const Window& win, int32_t zp, const int8_t* origin,
                   int16_t* col) {
  const int16_t z = static_cast<int16_t>(zp);
  if (p.kh == 1 && p.kw == 1) {
    for (uint32_t ic = 0; ic < win.channels; ++ic, origin += win.plane)
      *col++ = static_cast<int16_t>(*origin - z);
    return;
  }
  for (uint32_t ic = 0; ic < win.channels; ++ic, origin += win.plane) {
    const int8_t* row = origin;
    for (uint32_t t = 0; t < p.kh; ++t, row += p.in_w) {
      if (p.kw == 3) {
        col[0] = static_cast<int16_t>(row[0] - z);
        col[1] = static_cast<int16_t>(row[1] - z);
        col[2] = static_cast<int16_t>(row[2] - z);
        col += 3;
      } else {
        for (uint32_t i = 0; i < p.kw; ++i) *col++ = static_cast<int16_t>(row[i] - z);
      }
    }
  }
}

// The window of output position (oy, ox) as row_length int16 values, x -
// zero point, taps in the padding 0.
void gather_column(const ConvParams& p, const Window& win, int32_t zp, uint32_t oy, uint32_t ox,
                   int16_t* col) {
  const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
  const int32_t x0 = static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
  const TapRange ky = taps_inside(y0, p.kh, p.dilation_h, p.in_h);
  const TapRange kx = taps_inside(x0, p.kw, p.dilation_w, p.in_w);
  const bool inside = ky.first == 0 && ky.end == p.kh && kx.first == 0 && kx.end == p.kw;
  if (inside && p.dilation_h == 1 && p.dilation_w == 1) {
    gather_inside(p, win, zp, win.group_in + static_cast<size_t>(y0) * p.in_w + x0, col);
    return;
  }
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

// The scratch: `columns` gathered windows, then two decoded rows, each
// `stride` (even) values apart; a window's odd tail lane stays 0 so a row's
// tail lane (a padded codeword lane) adds nothing.
struct Im2col {
  uint32_t row_length, stride, pairs;
  int16_t *cols, *row0, *row1;
};

Im2col im2col_layout(const ConvParams& p, const S8Weights& w, int16_t* scratch, uint32_t columns) {
  Im2col c;
  c.row_length = p.in_c / p.groups * p.kh * p.kw;
  c.stride = s8_row_scratch_values(w);
  if (c.stride < c.row_length) c.stride = c.row_length;
  c.stride = (c.stride + 1u) & ~1u;
  c.pairs = (c.row_length + 1u) / 2u;
  c.cols = scratch;
  c.row0 = scratch + columns * c.stride;
  c.row1 = c.row0 + c.stride;
  return c;
}

// Two rows times two columns, four accumulators.
inline void mac_2x2(const int16_t* w0, const int16_t* w1, const int16_t* c0, const int16_t* c1,
                    uint32_t pairs, int32_t* a) {
  int32_t a00 = a[0], a01 = a[1], a10 = a[2], a11 = a[3];
  for (uint32_t i = 0; i < pairs; ++i) {
    const uint32_t x0 = load_pair(c0 + 2u * i), x1 = load_pair(c1 + 2u * i);
    const uint32_t v0 = load_pair(w0 + 2u * i), v1 = load_pair(w1 + 2u * i);
    a00 = dual_mac(v0, x0, a00);
    a01 = dual_mac(v0, x1, a01);
    a10 = dual_mac(v1, x0, a10);
    a11 = dual_mac(v1, x1, a11);
  }
  a[0] = a00, a[1] = a01, a[2] = a10, a[3] = a11;
}

// One row times two columns.
inline void mac_1x2(const int16_t* w0, const int16_t* c0, const int16_t* c1, uint32_t pairs,
                    int32_t* a) {
  int32_t a00 = a[0], a01 = a[1];
  for (uint32_t i = 0; i < pairs; ++i) {
    const uint32_t v0 = load_pair(w0 + 2u * i);
    a00 = dual_mac(v0, load_pair(c0 + 2u * i), a00);
    a01 = dual_mac(v0, load_pair(c1 + 2u * i), a01);
  }
  a[0] = a00, a[1] = a01;
}

}  // namespace

void conv_s8_im2col(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                    const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
                    uint32_t columns) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t out_per_group = p.out_c / p.groups;
  const Im2col c = im2col_layout(p, w, scratch, columns);
  const uint32_t stride = c.stride, pairs = c.pairs;
  const uint32_t positions = p.out_h * p.out_w;
  const size_t plane = static_cast<size_t>(p.in_h) * p.in_w;

  for (uint32_t g = 0; g < p.groups; ++g) {
    const Window win{input + static_cast<size_t>(g) * in_per_group * plane, in_per_group, plane};
    uint32_t oy = 0, ox = 0;  // of position `first`
    for (uint32_t first = 0; first < positions; first += columns) {
      const uint32_t n = positions - first < columns ? positions - first : columns;
      for (uint32_t k = 0; k < n; ++k) {
        int16_t* col = c.cols + k * stride;
        gather_column(p, win, in_zp, oy, ox, col);
        if (c.row_length % 2u != 0u) col[c.row_length] = 0;
        if (++ox == p.out_w) ox = 0, ++oy;
      }
      uint32_t oc = g * out_per_group;
      const uint32_t end = oc + out_per_group;
      for (; oc + 2u <= end; oc += 2u) {  // two channels x two positions
        decode_row_s16(w, oc, c.row0);
        decode_row_s16(w, oc + 1u, c.row1);
        int8_t* y0 = output + static_cast<size_t>(oc) * positions + first;
        int8_t* y1 = y0 + positions;
        const RequantEntry r0 = o.requant[oc], r1 = o.requant[oc + 1u];
        uint32_t k = 0;
        for (; k + 2u <= n; k += 2u) {
          int32_t a[4] = {bias[oc], bias[oc], bias[oc + 1u], bias[oc + 1u]};
          const int16_t* x0 = c.cols + k * stride;
          mac_2x2(c.row0, c.row1, x0, x0 + stride, pairs, a);
          y0[k] = finish(a[0], r0, o);
          y0[k + 1u] = finish(a[1], r0, o);
          y1[k] = finish(a[2], r1, o);
          y1[k + 1u] = finish(a[3], r1, o);
        }
        if (k < n) {  // an odd last position: its column twice
          int32_t a[4] = {bias[oc], bias[oc], bias[oc + 1u], bias[oc + 1u]};
          const int16_t* x0 = c.cols + k * stride;
          mac_2x2(c.row0, c.row1, x0, x0, pairs, a);
          y0[k] = finish(a[0], r0, o);
          y1[k] = finish(a[2], r1, o);
        }
      }
      if (oc < end) {  // an odd last channel
        decode_row_s16(w, oc, c.row0);
        int8_t* y0 = output + static_cast<size_t>(oc) * positions + first;
        for (uint32_t k = 0; k < n; k += 2u) {
          int32_t a[2] = {bias[oc], bias[oc]};
          const int16_t* x0 = c.cols + k * stride;
          mac_1x2(c.row0, x0, k + 1u < n ? x0 + stride : x0, pairs, a);
          y0[k] = finish(a[0], o.requant[oc], o);
          if (k + 1u < n) y0[k + 1u] = finish(a[1], o.requant[oc], o);
        }
      }
    }
  }
}

}  // namespace kernels
}  // namespace yono
