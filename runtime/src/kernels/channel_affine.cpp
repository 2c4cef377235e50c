// Reference per-channel scale and shift: a BatchNorm the importer could not
// fold into a preceding conv keeps its own op rather than a Mul + Add pair.
#include "clamp.h"
#include "yono/kernels.h"

namespace yono {

void channel_affine_f32(const ChannelAffineParams& p, const float* input, const float* scale,
                        const float* shift, float* output) {
  for (uint32_t ch = 0; ch < p.c; ++ch) {
    const size_t base = static_cast<size_t>(ch) * p.inner;
    for (uint32_t j = 0; j < p.inner; ++j) {
      output[base + j] =
          kernels::clamp(input[base + j] * scale[ch] + shift[ch], p.act_min, p.act_max);
    }
  }
}

}  // namespace yono
