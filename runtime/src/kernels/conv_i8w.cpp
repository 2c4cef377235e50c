// Convolution on per-channel int8 weights (the TFLM-style baseline). As for
// the PQ kernel, one channel's filter is widened into scratch and then run
// through conv_f32's loop nest, so the widening is paid once per channel.
#include "conv_channel.h"
#include "yono/pq.h"

namespace yono {

uint32_t conv_i8w_scratch_floats(const ConvParams& p) {
  return p.in_c / p.groups * p.kh * p.kw;
}

void conv_i8w_f32(const ConvParams& p, const I8Weights& w, const float* input, ChannelValues bias,
                  float* output, float* scratch) {
  const uint32_t row_len = conv_i8w_scratch_floats(p);
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    const int8_t* row = w.values + static_cast<size_t>(oc) * row_len;
    const float scale = w.scales[oc];
    for (uint32_t j = 0; j < row_len; ++j) scratch[j] = scale * static_cast<float>(row[j]);
    kernels::conv_channel(p, oc, scratch, input, bias, output);
  }
}

}  // namespace yono
