// Private to the int8 convolutions: the window arithmetic they share and
// the two fast loop nests conv_s8 chooses between (conv_s8.cpp).
#pragma once

#include <stdint.h>

#include "s8_lanes.h"
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {
namespace kernels {

// Taps [first, end) of a kernel axis whose input position origin + tap *
// dilation lies inside [0, extent). 64-bit: a one-tap axis may have any
// dilation up to 2^31 - 1.
struct TapRange {
  uint32_t first, end;
};

inline TapRange taps_inside(int32_t origin, uint32_t taps, uint32_t dilation, uint32_t extent) {
  const int64_t d = dilation;
  const int64_t room = static_cast<int64_t>(extent) - origin;
  int64_t first, end;
  if (dilation == 1) {  // no division: a 64-bit one is a library call on a Cortex-M
    first = origin >= 0 ? 0 : -static_cast<int64_t>(origin);
    end = room <= 0 ? 0 : room;
  } else {
    first = origin >= 0 ? 0 : (d - 1 - origin) / d;
    end = room <= 0 ? 0 : (room + d - 1) / d;
  }
  if (end > taps) end = taps;
  if (first > end) first = end;
  return TapRange{static_cast<uint32_t>(first), static_cast<uint32_t>(end)};
}

// Int16 scratch values of one input channel as x - zero point, padded with
// 0 to the extent the output positions' windows span; 0 when that passes
// 2^29 values (the kernel then bounds-checks windows instead).
inline uint32_t padded_plane_values(const ConvParams& p) {
  const uint64_t h = uint64_t{p.out_h - 1u} * p.stride_h + uint64_t{p.kh - 1u} * p.dilation_h + 1u;
  const uint64_t w = uint64_t{p.out_w - 1u} * p.stride_w + uint64_t{p.kw - 1u} * p.dilation_w + 1u;
  const uint64_t values = h * w;
  return values > (uint64_t{1} << 29) ? 0u : static_cast<uint32_t>(values);
}

// Output channels that each read one input channel (depthwise): per channel
// its row decoded once into scratch (s8_row_scratch_values, rounded up to
// even), then every output a window sum with the zero point folded into the
// bias; with padded_plane_values(p) more scratch values the input channel is
// padded first so no window needs bounds checks.
void conv_s8_depthwise(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                       const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
                       uint32_t scratch_values);

// Every other convolution: `columns` output positions' input windows
// gathered (im2col) into int16, then each pair of output channels' rows
// decoded into scratch and multiplied by every gathered window, two 16-bit
// products per multiply-accumulate (SMLAD on a core with the DSP
// extension). Scratch: conv_s8_scratch_values(p, w, columns) values.
void conv_s8_im2col(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                    const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
                    uint32_t columns);

}  // namespace kernels
}  // namespace yono
