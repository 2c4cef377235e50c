// Fully-connected layer on per-channel int8 weights. Each weight is used once,
// so it is widened inline: forming scale * int8 first, exactly as the decoded
// weight is defined, keeps the result bitwise dense_f32's on decoded weights,
// and the two multiplies stay off the accumulator's dependency chain, which is
// what bounds this in-order sum.
#include "clamp.h"
#include "yono/pq.h"

namespace yono {

uint32_t dense_i8w_scratch_floats(const DenseParams& p) {
  (void)p;
  return 0;
}

void dense_i8w_f32(const DenseParams& p, const I8Weights& w, const float* input, ChannelValues bias,
                   float* output, float* scratch) {
  (void)scratch;
  for (uint32_t o = 0; o < p.out_features; ++o) {
    const int8_t* row = w.values + static_cast<size_t>(o) * p.in_features;
    const float scale = w.scales[o];
    float acc = (p.has_bias != 0u) ? bias[o] : 0.0f;
    for (uint32_t i = 0; i < p.in_features; ++i) {
      acc += (scale * static_cast<float>(row[i])) * input[i];
    }
    output[o] = kernels::clamp(acc, p.act_min, p.act_max);
  }
}

}  // namespace yono
