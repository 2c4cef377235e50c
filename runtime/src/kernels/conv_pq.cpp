// Product-quantized convolution. Each output channel's weight row is decoded
// once into scratch, so the decode is paid once per channel rather than once
// per output position, and then runs conv_f32's own loop nest.
#include "conv_channel.h"
#include "pq_decode.h"
#include "yono/pq.h"

namespace yono {

uint32_t conv_pq_scratch_floats(const ConvParams& p, const PqWeights& w) {
  (void)p;
  return w.subvectors_per_row * w.dim;
}

void conv_pq_f32(const ConvParams& p, const PqWeights& w, const float* input, ChannelValues bias,
                 float* output, float* scratch) {
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    kernels::decode_subvectors(w, oc * w.subvectors_per_row, w.subvectors_per_row, w.scales[oc],
                               scratch);
    kernels::conv_channel(p, oc, scratch, input, bias, output);
  }
}

}  // namespace yono
