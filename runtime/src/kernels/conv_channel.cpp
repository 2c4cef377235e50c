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

TapRange taps_inside(int32_t origin, uint32_t taps, uint32_t dilation, uint32_t extent) {
  TapRange r{0u, 0u};
  while (r.first < taps && origin + static_cast<int32_t>(r.first * dilation) < 0) ++r.first;
  r.end = r.first;
  while (r.end < taps &&
         origin + static_cast<int32_t>(r.end * dilation) < static_cast<int32_t>(extent))
    ++r.end;
  return r;
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

// One output whose window starts at input column x0, kx clipped to `kx`.
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

// kBlock outputs, `stride` input columns apart, with whole kx rows. kKw == 0:
// the kernel width is only known at run time. Unit dilation.
template <uint32_t kStride, uint32_t kKw>
void window_block(const RowWindow& w, float start, int32_t x0, float* out, float lo, float hi) {
  const uint32_t kw = (kKw != 0u) ? kKw : w.kw;
  float acc[kBlock];
#pragma GCC unroll 8
  for (uint32_t j = 0; j < kBlock; ++j) acc[j] = start;
  const float* plane = w.rows + x0;
  const float* kernel = w.kernels;
  for (uint32_t icg = 0; icg < w.channels; ++icg, plane += w.plane, kernel += w.taps) {
    const float* row = plane;
    const float* k = kernel;
    for (uint32_t ky = 0; ky < w.ky_count; ++ky, row += w.row_step, k += kw) {
#pragma GCC unroll 4
      for (uint32_t t = 0; t < kw; ++t) {
        const float weight = k[t];
        const float* x = row + t;
#pragma GCC unroll 8
        for (uint32_t j = 0; j < kBlock; ++j) acc[j] += x[j * kStride] * weight;
      }
    }
  }
#pragma GCC unroll 8
  for (uint32_t j = 0; j < kBlock; ++j) out[j] = clamp(acc[j], lo, hi);
}

using BlockFn = void (*)(const RowWindow&, float, int32_t, float*, float, float);

template <uint32_t kStride>
BlockFn pick_block_for_stride(uint32_t kw) {
  if (kw == 1u) return window_block<kStride, 1>;
  if (kw == 3u) return window_block<kStride, 3>;
  return window_block<kStride, 0>;
}

// Null when the shape has no blocked instance (dilated, or stride > 2).
BlockFn pick_block(const ConvParams& p) {
  if (p.dilation_w != 1u) return nullptr;
  if (p.stride_w == 1u) return pick_block_for_stride<1>(p.kw);
  if (p.stride_w == 2u) return pick_block_for_stride<2>(p.kw);
  return nullptr;
}

}  // namespace

void conv_channel(const ConvParams& p, uint32_t oc, const float* filter, const float* input,
                  const float* bias, float* output) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t first_ic = (oc / (p.out_c / p.groups)) * in_per_group;
  const float start = (p.has_bias != 0u) ? bias[oc] : 0.0f;
  float* out = output + static_cast<size_t>(oc) * p.out_h * p.out_w;
  const BlockFn block = pick_block(p);
  const TapRange all_kx{0u, p.kw};

  // Interior columns [ox_lo, ox_hi): the whole kx range lies inside the input.
  uint32_t ox_lo = 0;
  auto origin_x = [&](uint32_t ox) {
    // Signed because the first columns of a padded window lie left of the input.
    return static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
  };
  auto whole_row = [&](uint32_t ox) {
    const TapRange r = taps_inside(origin_x(ox), p.kw, p.dilation_w, p.in_w);
    return r.first == 0u && r.end == p.kw;
  };
  while (ox_lo < p.out_w && !whole_row(ox_lo)) ++ox_lo;
  uint32_t ox_hi = ox_lo;
  while (ox_hi < p.out_w && whole_row(ox_hi)) ++ox_hi;

  RowWindow w;
  w.plane = static_cast<size_t>(p.in_h) * p.in_w;
  w.row_step = static_cast<size_t>(p.dilation_h) * p.in_w;
  w.channels = in_per_group;
  w.taps = p.kh * p.kw;
  w.kw = p.kw;
  w.dilation_w = p.dilation_w;
  const float* channel_in = input + static_cast<size_t>(first_ic) * w.plane;

  for (uint32_t oy = 0; oy < p.out_h; ++oy, out += p.out_w) {
    const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
    const TapRange ky = taps_inside(y0, p.kh, p.dilation_h, p.in_h);
    w.ky_count = ky.end - ky.first;
    w.kernels = filter + static_cast<size_t>(ky.first) * p.kw;
    // Only formed when a ky tap is valid, so it points inside the input.
    w.rows =
        (w.ky_count != 0u)
            ? channel_in +
                  static_cast<size_t>(y0 + static_cast<int32_t>(ky.first * p.dilation_h)) * p.in_w
            : channel_in;
    uint32_t ox = 0;
    for (; ox < ox_lo; ++ox) {
      const int32_t x0 = origin_x(ox);
      const TapRange kx = taps_inside(x0, p.kw, p.dilation_w, p.in_w);
      out[ox] = clamp(window_sum(w, start, x0, kx), p.act_min, p.act_max);
    }
    if (block != nullptr) {
      for (; ox + kBlock <= ox_hi; ox += kBlock) {
        block(w, start, origin_x(ox), out + ox, p.act_min, p.act_max);
      }
    }
    for (; ox < ox_hi; ++ox) {
      out[ox] = clamp(window_sum(w, start, origin_x(ox), all_kx), p.act_min, p.act_max);
    }
    for (; ox < p.out_w; ++ox) {
      const int32_t x0 = origin_x(ox);
      const TapRange kx = taps_inside(x0, p.kw, p.dilation_w, p.in_w);
      out[ox] = clamp(window_sum(w, start, x0, kx), p.act_min, p.act_max);
    }
  }
}

}  // namespace kernels
}  // namespace yono
