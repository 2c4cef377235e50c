// Reference convolution: one plain loop nest for every conv the importer can
// emit (1-D, 2-D, grouped, depthwise), so optimised and product-quantized
// variants have a single readable definition to be tested against. The loop
// nest itself is conv_channel, which the weight-decoding convs share, so all
// of them accumulate in exactly the same order.
#include "conv_channel.h"
#include "yono/kernels.h"

namespace yono {

void conv_f32(const ConvParams& p, const float* input, const float* weights, ChannelValues bias,
              float* output) {
  const size_t row = static_cast<size_t>(p.in_c / p.groups) * p.kh * p.kw;
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    kernels::conv_channel(p, oc, weights + oc * row, input, bias, output);
  }
}

}  // namespace yono
