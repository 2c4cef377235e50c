// Reference concatenation along any axis: viewed as rows of `outer`, every
// input contributes one contiguous chunk per row, so it is all memcpy.
#include "../mem.h"
#include "yono/kernels.h"

namespace yono {

void concat_f32(const ConcatParams& p, uint32_t input_count, const float* const* inputs,
                const uint32_t* chunk, float* output) {
  float* out = output;
  for (uint32_t row = 0; row < p.outer; ++row) {
    for (uint32_t i = 0; i < input_count; ++i) {
      rt::copy_bytes(out, inputs[i] + static_cast<size_t>(row) * chunk[i],
                     chunk[i] * sizeof(float));
      out += chunk[i];
    }
  }
}

}  // namespace yono
