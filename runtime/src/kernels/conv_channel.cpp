// The convolution loop nest for one output channel; see conv_channel.h.
#include "conv_channel.h"

#include "clamp.h"

namespace yono {
namespace kernels {

void conv_channel(const ConvParams& p, uint32_t oc, const float* filter, const float* input,
                  const float* bias, float* output) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t first_ic = (oc / (p.out_c / p.groups)) * in_per_group;
  const uint32_t taps = p.kh * p.kw;
  const int32_t in_h = static_cast<int32_t>(p.in_h);
  const int32_t in_w = static_cast<int32_t>(p.in_w);
  const float start = (p.has_bias != 0u) ? bias[oc] : 0.0f;
  float* out = output + static_cast<size_t>(oc) * p.out_h * p.out_w;

  for (uint32_t oy = 0; oy < p.out_h; ++oy) {
    const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
    for (uint32_t ox = 0; ox < p.out_w; ++ox) {
      // Signed because the first columns of a padded window lie left of the input.
      const int32_t x0 = static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
      float acc = start;
      for (uint32_t icg = 0; icg < in_per_group; ++icg) {
        const float* plane = input + static_cast<size_t>(first_ic + icg) * p.in_h * p.in_w;
        const float* kernel = filter + static_cast<size_t>(icg) * taps;
        for (uint32_t ky = 0; ky < p.kh; ++ky) {
          const int32_t iy = y0 + static_cast<int32_t>(ky * p.dilation_h);
          if (iy < 0 || iy >= in_h) continue;  // zero padding contributes nothing
          for (uint32_t kx = 0; kx < p.kw; ++kx) {
            const int32_t ix = x0 + static_cast<int32_t>(kx * p.dilation_w);
            if (ix < 0 || ix >= in_w) continue;
            acc += plane[iy * in_w + ix] * kernel[ky * p.kw + kx];
          }
        }
      }
      out[static_cast<size_t>(oy) * p.out_w + ox] = clamp(acc, p.act_min, p.act_max);
    }
  }
}

}  // namespace kernels
}  // namespace yono
