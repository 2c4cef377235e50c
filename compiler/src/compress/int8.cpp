// The TFLM-style baseline, also used for layers a keep rule leaves out.
#include <algorithm>
#include <cmath>

#include "encoders.h"

namespace yono::compress {

void encode_int8(ir::Tensor& weights, uint32_t rows, uint32_t row_len) {
  ir::Int8Encoding enc;
  enc.values.resize(static_cast<size_t>(rows) * row_len);
  enc.scales.resize(rows);
  for (uint32_t o = 0; o < rows; ++o) {
    float* row = weights.data.data() + static_cast<size_t>(o) * row_len;
    float peak = 0.f;
    for (uint32_t j = 0; j < row_len; ++j) peak = std::max(peak, std::fabs(row[j]));
    // An all-zero row stores zeros; scale 1 keeps the division defined.
    const float scale = peak > 0.f ? peak / 127.f : 1.f;
    enc.scales[o] = scale;
    for (uint32_t j = 0; j < row_len; ++j) {
      const float q = std::clamp(std::nearbyint(row[j] / scale), -127.f, 127.f);
      const auto v = static_cast<int8_t>(q);
      enc.values[static_cast<size_t>(o) * row_len + j] = v;
      row[j] = scale * static_cast<float>(v);  // what the int8 kernels compute with
    }
  }
  weights.encoding = std::move(enc);
}

}  // namespace yono::compress
