// Reference fully-connected layer; kept as a plain dot product per output so
// the later product-quantized variant can be checked against it directly.
#include "clamp.h"
#include "yono/kernels.h"

namespace yono {

void dense_f32(const DenseParams& p, const float* input, const float* weights, ChannelValues bias,
               float* output) {
  for (uint32_t o = 0; o < p.out_features; ++o) {
    const float* row = weights + static_cast<size_t>(o) * p.in_features;
    float acc = (p.has_bias != 0u) ? bias[o] : 0.0f;
    for (uint32_t i = 0; i < p.in_features; ++i) acc += row[i] * input[i];
    output[o] = kernels::clamp(acc, p.act_min, p.act_max);
  }
}

}  // namespace yono
