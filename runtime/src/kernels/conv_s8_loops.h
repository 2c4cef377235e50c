// Private to the int8 convolutions: the window arithmetic they share and
// the two fast loop nests conv_s8 chooses between (conv_s8.cpp).
#pragma once

#include <stdint.h>

#include "yono/kernels_s8.h"

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
  int64_t first = origin >= 0 ? 0 : (d - 1 - origin) / d;
  int64_t end = room <= 0 ? 0 : (room + d - 1) / d;
  if (end > taps) end = taps;
  if (first > end) first = end;
  return TapRange{static_cast<uint32_t>(first), static_cast<uint32_t>(end)};
}

// Channel-major, for convolutions whose output channels each read one input
// channel (depthwise): each weight tap applied to a run of output columns.
void conv_s8_columns(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                     const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch);

// Every other convolution: a block of output channels' rows decoded into
// scratch, then two output positions at a time gathered (im2col) into int16
// columns and multiplied by every row of the block, two 16-bit products per
// multiply-accumulate (SMLAD on a core with the DSP extension). `block`
// channels, scratch of conv_s8_scratch_values(p, w, block) values.
void conv_s8_blocked(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                     const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
                     uint32_t block);

// The same scheme position-major, for a scratch of conv_s8_scratch_values(p,
// w, 1) values: two gathered windows, then every output channel's row
// decoded in turn and multiplied by both.
void conv_s8_positions(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                       const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch);

}  // namespace kernels
}  // namespace yono
