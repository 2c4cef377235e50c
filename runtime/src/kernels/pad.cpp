// Reference constant padding of the spatial dims, for pads that the importer
// could not fold into the following conv or pool (e.g. a non-zero value).
#include "../mem.h"
#include "yono/kernels.h"

namespace yono {

void pad_f32(const PadParams& p, const float* input, float* output) {
  const uint32_t out_h = p.in_h + p.pad_top + p.pad_bottom;
  const uint32_t out_w = p.in_w + p.pad_left + p.pad_right;
  for (uint32_t ch = 0; ch < p.c; ++ch) {
    const float* in = input + static_cast<size_t>(ch) * p.in_h * p.in_w;
    float* out = output + static_cast<size_t>(ch) * out_h * out_w;
    for (uint32_t y = 0; y < out_h; ++y) {
      float* row = out + static_cast<size_t>(y) * out_w;
      const bool inside = y >= p.pad_top && y < p.pad_top + p.in_h;
      if (!inside) {
        for (uint32_t x = 0; x < out_w; ++x) row[x] = p.value;
        continue;
      }
      for (uint32_t x = 0; x < p.pad_left; ++x) row[x] = p.value;
      rt::copy_bytes(row + p.pad_left, in + static_cast<size_t>(y - p.pad_top) * p.in_w,
                     p.in_w * sizeof(float));
      for (uint32_t x = p.pad_left + p.in_w; x < out_w; ++x) row[x] = p.value;
    }
  }
}

}  // namespace yono
