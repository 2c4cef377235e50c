// The convolution loop nest for one output channel, run by conv_f32 and by
// the weight-decoding convolutions (PQ codes, int8 weights): those decode the
// channel's filter into scratch and run this, so their accumulation order,
// hence their result, is bitwise the float kernel's on the decoded weights.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/channel_values.h"
#include "yono/format.h"

namespace yono {
namespace kernels {

// filter: the channel's in_c / groups * kh * kw weights (OIHW row). Out of
// line on purpose: inlined next to a decoder, the loop nest ran out of
// registers and spilled in its innermost loop (30% slower on x86-64).
void conv_channel(const ConvParams& p, uint32_t oc, const float* filter, const float* input,
                  ChannelValues bias, float* output);

}  // namespace kernels
}  // namespace yono
