// Reference softmax along one axis of an (outer, axis_len, inner) view. The
// maximum is subtracted first so exp never overflows on large logits.
#include "portable_math.h"
#include "yono/kernels.h"

namespace yono {
namespace {

// Subtracted before exp in both kernels so it never overflows.
float axis_max(const float* x, uint32_t len, uint32_t stride) {
  float m = x[0];
  for (uint32_t k = 1; k < len; ++k) {
    if (x[k * stride] > m) m = x[k * stride];
  }
  return m;
}

}  // namespace

void softmax_f32(const SoftmaxParams& p, const float* input, float* output) {
  for (uint32_t o = 0; o < p.outer; ++o) {
    for (uint32_t i = 0; i < p.inner; ++i) {
      const size_t base = static_cast<size_t>(o) * p.axis_len * p.inner + i;
      const float* x = input + base;
      float* y = output + base;
      if (p.axis_len == 0u) continue;

      const float max_value = axis_max(x, p.axis_len, p.inner);
      float sum = 0.0f;
      for (uint32_t k = 0; k < p.axis_len; ++k) {
        const float e = kernels::exp_f32(x[k * p.inner] - max_value);
        y[k * p.inner] = e;  // x is fully read above before y (maybe == x) is written
        sum += e;
      }
      const float inv_sum = 1.0f / sum;
      for (uint32_t k = 0; k < p.axis_len; ++k) y[k * p.inner] *= inv_sum;
    }
  }
}

// Computed in the log domain rather than as log(softmax): a logit far below
// the maximum gets its true (very negative) value instead of log(0) = -inf.
void log_softmax_f32(const SoftmaxParams& p, const float* input, float* output) {
  for (uint32_t o = 0; o < p.outer; ++o) {
    for (uint32_t i = 0; i < p.inner; ++i) {
      const size_t base = static_cast<size_t>(o) * p.axis_len * p.inner + i;
      const float* x = input + base;
      float* y = output + base;
      if (p.axis_len == 0u) continue;

      const float max_value = axis_max(x, p.axis_len, p.inner);
      float sum = 0.0f;
      for (uint32_t k = 0; k < p.axis_len; ++k) sum += kernels::exp_f32(x[k * p.inner] - max_value);
      const float shift = max_value + kernels::log_f32(sum);
      for (uint32_t k = 0; k < p.axis_len; ++k) y[k * p.inner] = x[k * p.inner] - shift;
    }
  }
}

}  // namespace yono
