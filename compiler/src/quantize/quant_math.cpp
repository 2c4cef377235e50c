#include "yono/compiler/quantize/quant_math.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "yono/compiler/error.h"
#include "yono/requant.h"

namespace yono::quantize {

ir::QuantParams quant_for_range(float lo, float hi) {
  const double min = std::min(0.0, static_cast<double>(lo));
  const double max = std::max(0.0, static_cast<double>(hi));
  ir::QuantParams q;
  const double width = max - min;
  q.scale = width > 0.0 && std::isfinite(width) ? static_cast<float>(width / 255.0) : 1.0f;
  const double zp = std::round(-128.0 - min / q.scale);
  q.zero_point = static_cast<int32_t>(std::clamp(zp, -128.0, 127.0));
  return q;
}

RequantEntry requant_for(double real) {
  if (!std::isfinite(real))
    throw Error("requantization multiplier " + std::to_string(real) + " is not finite");
  if (real == 0.0) return RequantEntry{0, 0};
  int exponent = 0;
  const double mantissa = std::frexp(std::fabs(real), &exponent);  // [0.5, 1)
  int64_t q = std::llround(mantissa * 2147483648.0);
  if (q == (int64_t{1} << 31)) {  // rounded up to 1.0
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) return RequantEntry{0, 0};
  if (exponent > 30)
    throw Error("requantization multiplier " + std::to_string(real) + " is too large");
  // A negative row scale (fine-tuning may learn one) negates the multiplier.
  const int32_t m = static_cast<int32_t>(q);
  return RequantEntry{real < 0.0 ? -m : m, exponent};
}

int32_t quantize(float x, const ir::QuantParams& q) {
  return quantize_value(x, q.scale, q.zero_point);
}

float dequantize(int32_t v, const ir::QuantParams& q) {
  return dequantize_value(static_cast<int8_t>(v), q.scale, q.zero_point);
}

void int8_clamp(const ir::Activation& act, const ir::QuantParams& q, float* lo, float* hi) {
  *lo = act.min == ir::kNoMin ? -128.0f : static_cast<float>(quantize(act.min, q));
  *hi = act.max == ir::kNoMax ? 127.0f : static_cast<float>(quantize(act.max, q));
  if (*lo > *hi) *hi = *lo;  // a clamp narrower than one step
}

}  // namespace yono::quantize
