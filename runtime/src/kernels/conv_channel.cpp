// The convolution loop nest for one output channel; see conv_channel.h.
//
// Every output is the sum bias + input * weight over the window's taps in
// (input channel, ky, kx) order, taps in the zero padding skipped; that order
// is the contract, so this file only changes how the outputs are scheduled.
// Speed on an in-order core comes from three things:
// - the padding checks leave the inner loop: each output row gets its range
//   of valid ky once, and only the border columns, whose kx range is clipped,
//   take the per-position path;
// - interior columns are computed kBlock at a time, each weight loaded once
//   for kBlock multiply-adds into accumulators held in registers;
// - the common shapes (unit dilation, stride 1 or 2, 1x1 or 3-wide kernels)
//   are template instances, so offsets are immediates and the kx loop unrolls.
#include "conv_channel.h"

#include "clamp.h"

namespace yono {
namespace kernels {

namespace {

constexpr uint32_t kBlock = 4;

// Taps [first, end) of a kernel axis whose input position
// origin + tap * dilation lies inside [0, extent).
struct TapRange {
  uint32_t first, end;
};

// 64-bit because the reader allows any dilation up to 2^31 - 1 when the
// kernel axis has one tap, where d - 1 - origin would overflow 32 bits;
// undilated axes (nearly all) skip the division.
TapRange taps_inside(int32_t origin, uint32_t taps, uint32_t dilation, uint32_t extent) {
  const int64_t d = dilation;
  const int64_t room = static_cast<int64_t>(extent) - origin;
  int64_t first = 0, end = 0;
  if (d == 1) {
    first = (origin >= 0) ? 0 : -static_cast<int64_t>(origin);
    end = room;
  } else {
    first = (origin >= 0) ? 0 : (d - 1 - origin) / d;
    end = (room <= 0) ? 0 : (room + d - 1) / d;
  }
  if (end < 0) end = 0;
  if (end > taps) end = taps;
  if (first > end) first = end;
  return TapRange{static_cast<uint32_t>(first), static_cast<uint32_t>(end)};
}

// What every window of one output row shares.
struct RowWindow {
  const float* rows;     // input channel first_ic, row of tap ky.first, column 0
  const float* kernels;  // filter at tap (icg 0, ky.first, 0)
  size_t plane;          // floats per input channel
  size_t row_step;       // floats between the rows of consecutive ky taps
  uint32_t channels;     // input channels per group
  uint32_t taps;         // kh * kw
  uint32_t ky_count;     // valid ky taps in this row
  uint32_t kw, dilation_w;
};

// One output of a dilated conv whose window starts at input column x0, kx
// clipped to `kx`.
float window_sum(const RowWindow& w, float acc, int32_t x0, TapRange kx) {
  if (kx.first == kx.end) return acc;
  // Both start at tap kx.first, so no pointer is formed left of the input.
  const float* plane = w.rows + (x0 + static_cast<int32_t>(kx.first * w.dilation_w));
  const float* kernel = w.kernels + kx.first;
  const uint32_t count = kx.end - kx.first;
  for (uint32_t icg = 0; icg < w.channels; ++icg, plane += w.plane, kernel += w.taps) {
    const float* row = plane;
    const float* k = kernel;
    for (uint32_t ky = 0; ky < w.ky_count; ++ky, row += w.row_step, k += w.kw) {
      for (uint32_t t = 0; t < count; ++t) acc += row[t * w.dilation_w] * k[t];
    }
  }
  return acc;
}

// One kernel row's taps for kN outputs kStride columns apart: each weight is
// loaded once for kN multiply-adds. kCount == 0: `count` known at run time.
template <uint32_t kN, uint32_t kStride, uint32_t kCount>
__attribute__((always_inline)) inline void row_taps(float (&acc)[kN], const float* x,
                                                    const float* k, uint32_t count) {
  const uint32_t n = (kCount != 0u) ? kCount : count;
#pragma GCC unroll 5
  for (uint32_t t = 0; t < n; ++t) {
    const float weight = k[t];
#pragma GCC unroll 8
    for (uint32_t j = 0; j < kN; ++j) acc[j] += x[t + j * kStride] * weight;
  }
}

// kN outputs whose windows, clipped to the `count` taps from kx = first_tap,
// start at input column `column` (that of output 0) and step kStride columns.
// Unit dilation.
template <uint32_t kN, uint32_t kStride, uint32_t kCount>
void window_block(const RowWindow& w, uint32_t column, uint32_t first_tap, uint32_t count,
                  float start, float* out, float lo, float hi) {
  float acc[kN];
#pragma GCC unroll 8
  for (uint32_t j = 0; j < kN; ++j) acc[j] = start;
  const float* plane = w.rows + column;
  const float* kernel = w.kernels + first_tap;
  if (w.ky_count == 1u) {  // 1-D convs, 1x1 kernels: one row per input channel
    for (uint32_t icg = 0; icg < w.channels; ++icg, plane += w.plane, kernel += w.taps) {
      row_taps<kN, kStride, kCount>(acc, plane, kernel, count);
    }
  } else {
    for (uint32_t icg = 0; icg < w.channels; ++icg, plane += w.plane, kernel += w.taps) {
      const float* row = plane;
      const float* k = kernel;
      for (uint32_t ky = 0; ky < w.ky_count; ++ky, row += w.row_step, k += w.kw) {
        row_taps<kN, kStride, kCount>(acc, row, k, count);
      }
    }
  }
#pragma GCC unroll 8
  for (uint32_t j = 0; j < kN; ++j) out[j] = clamp(acc[j], lo, hi);
}

// kBlock outputs of one column, in rows `step` input floats and `out_step`
// outputs apart: the padded border columns, whose kx range is clipped to
// `count` taps from first_tap, in rows where every ky tap is inside.
void column_block(const RowWindow& w, uint32_t column, uint32_t first_tap, uint32_t count,
                  size_t step, float start, float* out, size_t out_step, float lo, float hi) {
  float acc0 = start, acc1 = start, acc2 = start, acc3 = start;
  const float* plane = w.rows + column;
  const float* kernel = w.kernels + first_tap;
  for (uint32_t icg = 0; icg < w.channels; ++icg, plane += w.plane, kernel += w.taps) {
    const float* row = plane;
    const float* k = kernel;
    for (uint32_t ky = 0; ky < w.ky_count; ++ky, row += w.row_step, k += w.kw) {
      const float* x0 = row;
      const float* x1 = x0 + step;
      const float* x2 = x1 + step;
      const float* x3 = x2 + step;
      for (uint32_t t = 0; t < count; ++t) {
        const float weight = k[t];
        acc0 += x0[t] * weight;
        acc1 += x1[t] * weight;
        acc2 += x2[t] * weight;
        acc3 += x3[t] * weight;
      }
    }
  }
  out[0] = clamp(acc0, lo, hi);
  out[out_step] = clamp(acc1, lo, hi);
  out[2 * out_step] = clamp(acc2, lo, hi);
  out[3 * out_step] = clamp(acc3, lo, hi);
}
static_assert(kBlock == 4, "column_block holds four accumulators");

using BlockFn = void (*)(const RowWindow&, uint32_t, uint32_t, uint32_t, float, float*, float,
                         float);

// The instance for kernel width kw (all taps), or the run-time one.
template <uint32_t kN, uint32_t kStride>
BlockFn block_for(uint32_t kw) {
  switch (kw) {
    case 1: return window_block<kN, kStride, 1>;
    case 3: return window_block<kN, kStride, 3>;
    case 5: return window_block<kN, kStride, 5>;
    default: return window_block<kN, kStride, 0>;
  }
}

// Null when there is no blocked instance for the stride.
BlockFn pick_block(const ConvParams& p) {
  if (p.stride_w == 1u) return block_for<kBlock, 1>(p.kw);
  if (p.stride_w == 2u) return block_for<kBlock, 2>(p.kw);
  return nullptr;
}

// One border window, its kx taps clipped to `count` from first_tap: border
// windows keep kw - 1 or so taps, so the short counts are instances too.
constexpr BlockFn kClippedByCount[5] = {window_block<1, 1, 0>, window_block<1, 1, 1>,
                                        window_block<1, 1, 2>, window_block<1, 1, 3>,
                                        window_block<1, 1, 4>};

// Outputs [lo, hi) along one axis.
struct OutputRange {
  uint32_t lo, hi;
};

// The input position of tap 0 of output o's window. Signed because the
// first windows of a padded axis start before the input.
inline int32_t window_origin(uint32_t o, uint32_t stride, uint32_t pad) {
  return static_cast<int32_t>(o * stride) - static_cast<int32_t>(pad);
}

// The outputs along one axis whose windows have every tap inside the input
// (no padding to skip); empty, at lo, if there are none.
inline OutputRange outputs_inside(uint32_t in, uint32_t pad, uint32_t taps, uint32_t dilation,
                                  uint32_t stride, uint32_t out) {
  const int32_t last_start = static_cast<int32_t>(in) - 1 + static_cast<int32_t>(pad) -
                             static_cast<int32_t>((taps - 1u) * dilation);
  OutputRange r;
  r.lo = (pad + stride - 1u) / stride;
  r.hi = (last_start < 0) ? 0u : static_cast<uint32_t>(last_start) / stride + 1u;
  if (r.lo > out) r.lo = out;
  if (r.hi > out) r.hi = out;
  if (r.hi < r.lo) r.hi = r.lo;
  return r;
}

// What every output of one channel shares.
struct Channel {
  const ConvParams& p;
  const float* input;   // the group's first input channel
  const float* filter;  // the channel's filter (OIHW row)
  float* out;           // the channel's first output
  float start;          // the bias: where every accumulator starts
  float lo, hi;         // the fused activation's bounds
  bool dilated;         // dilation_w != 1: every window takes the per-position path
  BlockFn blocked;      // kBlock interior windows at once; null when no instance
  BlockFn single;       // one interior window
};

// One window of `count` kx taps from first_tap, starting at input `column`.
inline void clipped_window(const Channel& c, const RowWindow& w, uint32_t column,
                           uint32_t first_tap, uint32_t count, float* out) {
  const BlockFn fn = kClippedByCount[count < 5u ? count : 0u];
  fn(w, column, first_tap, count, c.start, out, c.lo, c.hi);
}

// Points w at output row oy: its ky taps inside the input, and the filter row
// and input row of the first of them.
inline void fit_row(const Channel& c, RowWindow& w, uint32_t oy) {
  const ConvParams& p = c.p;
  const int32_t y0 = window_origin(oy, p.stride_h, p.pad_top);
  const TapRange ky = taps_inside(y0, p.kh, p.dilation_h, p.in_h);
  w.ky_count = ky.end - ky.first;
  w.kernels = c.filter + static_cast<size_t>(ky.first) * p.kw;
  w.rows = c.input;
  if (w.ky_count != 0u) {
    // Only formed when a ky tap is valid, so it points inside the input.
    const int32_t first_row = y0 + static_cast<int32_t>(ky.first * p.dilation_h);
    w.rows = c.input + static_cast<size_t>(first_row) * p.in_w;
  }
}

// Output ox of the row w is fitted to, its kx taps clipped to the input: the
// border columns, and with dilation every column.
inline void clipped_output(const Channel& c, const RowWindow& w, uint32_t ox, float* row_out) {
  const ConvParams& p = c.p;
  const int32_t x0 = window_origin(ox, p.stride_w, p.pad_left);
  const TapRange kx = taps_inside(x0, p.kw, p.dilation_w, p.in_w);
  if (c.dilated) {
    row_out[ox] = clamp(window_sum(w, c.start, x0, kx), c.lo, c.hi);
  } else if (kx.first == kx.end) {
    row_out[ox] = clamp(c.start, c.lo, c.hi);
  } else {
    clipped_window(c, w, static_cast<uint32_t>(x0 + static_cast<int32_t>(kx.first)), kx.first,
                   kx.end - kx.first, row_out + ox);
  }
}

// The interior outputs of an undilated row, every kx tap inside: kBlock
// windows at a time where the stride has a blocked instance, then one by one.
inline void interior_outputs(const Channel& c, const RowWindow& w, OutputRange columns,
                             float* row_out) {
  const ConvParams& p = c.p;
  uint32_t ox = columns.lo;
  if (c.blocked != nullptr) {
    for (; ox + kBlock <= columns.hi; ox += kBlock) {
      c.blocked(w, static_cast<uint32_t>(window_origin(ox, p.stride_w, p.pad_left)), 0u, p.kw,
                c.start, row_out + ox, c.lo, c.hi);
    }
  }
  for (; ox < columns.hi; ++ox) {
    c.single(w, static_cast<uint32_t>(window_origin(ox, p.stride_w, p.pad_left)), 0u, p.kw, c.start,
             row_out + ox, c.lo, c.hi);
  }
}

// Output row oy, left to right. With `borders_apart` its border columns are
// skipped: border_column does them, down the column.
inline void output_row(const Channel& c, RowWindow& w, uint32_t oy, OutputRange columns,
                       bool borders_apart) {
  const ConvParams& p = c.p;
  fit_row(c, w, oy);
  float* const row_out = c.out + static_cast<size_t>(oy) * p.out_w;
  if (!borders_apart) {
    for (uint32_t ox = 0; ox < columns.lo; ++ox) clipped_output(c, w, ox, row_out);
  }
  if (c.dilated) {
    for (uint32_t ox = columns.lo; ox < columns.hi; ++ox) clipped_output(c, w, ox, row_out);
  } else {
    interior_outputs(c, w, columns, row_out);
  }
  if (!borders_apart) {
    for (uint32_t ox = columns.hi; ox < p.out_w; ++ox) clipped_output(c, w, ox, row_out);
  }
}

// Border column ox of `rows`, whose windows have every ky tap inside, so w
// must span all kh taps: kBlock rows at a time, the rest one by one.
inline void border_column(const Channel& c, RowWindow& w, uint32_t ox, OutputRange rows) {
  const ConvParams& p = c.p;
  const size_t step = static_cast<size_t>(p.stride_h) * p.in_w;
  const int32_t x0 = window_origin(ox, p.stride_w, p.pad_left);
  const TapRange kx = taps_inside(x0, p.kw, 1u, p.in_w);
  const uint32_t column = static_cast<uint32_t>(x0 + static_cast<int32_t>(kx.first));
  for (uint32_t oy = rows.lo; oy < rows.hi;) {
    const int32_t y0 = window_origin(oy, p.stride_h, p.pad_top);
    w.rows = c.input + static_cast<size_t>(y0) * p.in_w;
    float* o = c.out + static_cast<size_t>(oy) * p.out_w + ox;
    if (kx.first == kx.end) {
      *o = clamp(c.start, c.lo, c.hi);
      ++oy;
    } else if (oy + kBlock <= rows.hi) {
      column_block(w, column, kx.first, kx.end - kx.first, step, c.start, o, p.out_w, c.lo, c.hi);
      oy += kBlock;
    } else {
      clipped_window(c, w, column, kx.first, kx.end - kx.first, o);
      ++oy;
    }
  }
}

}  // namespace

void conv_channel(const ConvParams& p, uint32_t oc, const float* filter, const float* input,
                  ChannelValues bias, float* output) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t first_ic = (oc / (p.out_c / p.groups)) * in_per_group;
  const bool dilated = p.dilation_w != 1u;

  RowWindow w;
  w.plane = static_cast<size_t>(p.in_h) * p.in_w;
  w.row_step = static_cast<size_t>(p.dilation_h) * p.in_w;
  w.channels = in_per_group;
  w.taps = p.kh * p.kw;
  w.kw = p.kw;
  w.dilation_w = p.dilation_w;

  const Channel c{p,
                  input + static_cast<size_t>(first_ic) * w.plane,
                  filter,
                  output + static_cast<size_t>(oc) * p.out_h * p.out_w,
                  (p.has_bias != 0u) ? bias[oc] : 0.0f,
                  p.act_min,
                  p.act_max,
                  dilated,
                  dilated ? nullptr : pick_block(p),
                  block_for<1, 1>(p.kw)};

  // Interior columns: every kx tap lies inside the input.
  const OutputRange columns =
      outputs_inside(p.in_w, p.pad_left, p.kw, p.dilation_w, p.stride_w, p.out_w);
  // Rows whose windows have every ky tap inside: there the border columns
  // are done apart, down the column, kBlock rows at a time.
  OutputRange rows{0u, 0u};
  if (!dilated) {
    rows = outputs_inside(p.in_h, p.pad_top, p.kh, p.dilation_h, p.stride_h, p.out_h);
    if (rows.hi < rows.lo + kBlock) rows.hi = rows.lo;  // too few rows to block
  }

  for (uint32_t oy = 0; oy < p.out_h; ++oy) {
    output_row(c, w, oy, columns, oy >= rows.lo && oy < rows.hi);
  }

  if (rows.hi == rows.lo) return;
  w.ky_count = p.kh;
  w.kernels = filter;
  for (uint32_t ox = 0; ox < columns.lo; ++ox) border_column(c, w, ox, rows);
  for (uint32_t ox = columns.hi; ox < p.out_w; ++ox) border_column(c, w, ox, rows);
}

}  // namespace kernels
}  // namespace yono
