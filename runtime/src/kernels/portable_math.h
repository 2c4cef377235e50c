// exp, expm1, log, tanh and sigmoid built from +, -, *, / and exponent-bit
// moves only. libm's expf/logf/tanhf differ between glibc (the host) and
// newlib (the device) in the last bits, so a model with a sigmoid, a tanh or
// a softmax gave slightly different outputs in QEMU than on the host. These
// give the same bits on every IEEE-754 binary32 target, because each step is
// one correctly rounded operation (the firmware builds with -ffp-contract=off
// so no multiply-add is fused; x86-64 without -march has no FMA to fuse to).
// Accuracy: within a few ulp of the true value (tests/runtime/portable_math_test.cpp).
#pragma once

#include <stdint.h>

#include "../mem.h"

namespace yono {
namespace kernels {

inline float bits_to_float(uint32_t b) {
  float f;
  rt::copy_bytes(&f, &b, 4);
  return f;
}

inline uint32_t float_to_bits(float f) {
  uint32_t b;
  rt::copy_bytes(&b, &f, 4);
  return b;
}

// 2^n for -126 <= n <= 127, exactly.
inline float pow2i(int32_t n) {
  return bits_to_float(static_cast<uint32_t>(n + 127) << 23);
}

// e^x: x = n ln2 + r with |r| <= ln2 / 2 (ln2 split in two so n * ln2_hi is
// exact), e^r by its Taylor series to r^7 (truncation below 2^-28), then the
// exponent added in two exact scalings so subnormal results round once.
inline float exp_f32(float x) {
  if (x != x) return x;
  if (x > 88.7228394f) return bits_to_float(0x7F800000u);  // overflows to +inf
  if (x < -103.972084f) return 0.0f;                       // below half the least subnormal
  const float k = x * 1.44269504f;
  const int32_t n = static_cast<int32_t>(k >= 0.0f ? k + 0.5f : k - 0.5f);
  const float fn = static_cast<float>(n);
  const float r = (x - fn * 0.693359375f) - fn * -2.12194440e-4f;
  const float p =
      1.0f + r * (1.0f + r * (0.5f + r * (1.66666672e-1f +
                                          r * (4.16666679e-2f +
                                               r * (8.33333377e-3f +
                                                    r * (1.38888892e-3f + r * 1.98412701e-4f))))));
  if (n > 127) return p * pow2i(127) * pow2i(n - 127);
  if (n < -126) return p * pow2i(-126) * pow2i(n + 126);
  return p * pow2i(n);
}

// e^x - 1 without the cancellation of exp_f32(x) - 1 near 0: Taylor to x^9
// below |x| = ln 2 (truncation below 2^-27), where e^x - 1 >= 1/2 after.
inline float expm1_f32(float x) {
  if (x > -0.693147182f && x < 0.693147182f) {
    float p = 2.75573188e-6f;
    p = 2.48015876e-5f + x * p;
    p = 1.98412701e-4f + x * p;
    p = 1.38888892e-3f + x * p;
    p = 8.33333377e-3f + x * p;
    p = 4.16666679e-2f + x * p;
    p = 1.66666672e-1f + x * p;
    p = 0.5f + x * p;
    p = 1.0f + x * p;
    return x * p;
  }
  return exp_f32(x) - 1.0f;
}

// ln x: x = 2^e * m with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) with
// s = (m - 1) / (m + 1), |s| <= 0.172, by its odd series to s^9.
inline float log_f32(float x) {
  if (x != x || x < 0.0f) return bits_to_float(0x7FC00000u);  // NaN
  if (x == 0.0f) return bits_to_float(0xFF800000u);           // -inf
  if (x == bits_to_float(0x7F800000u)) return x;
  int32_t e = 0;
  if (x < pow2i(-126)) {  // subnormal: normalise first
    x *= pow2i(23);
    e = -23;
  }
  const uint32_t b = float_to_bits(x);
  e += static_cast<int32_t>((b >> 23) & 0xFFu) - 127;
  float m = bits_to_float((b & 0x007FFFFFu) | 0x3F800000u);
  if (m > 1.41421354f) {
    m *= 0.5f;
    ++e;
  }
  const float s = (m - 1.0f) / (m + 1.0f);
  const float z = s * s;
  const float ln_m =
      2.0f * s *
      (1.0f + z * (3.33333343e-1f + z * (2.0e-1f + z * (1.42857149e-1f + z * 1.11111112e-1f))));
  const float fe = static_cast<float>(e);
  return fe * 0.693359375f + (ln_m + fe * -2.12194440e-4f);
}

// tanh x = expm1(2|x|) / (expm1(2|x|) + 2), with x's sign; 1 past |x| = 9
// (tanh 9 rounds to 1 in binary32).
inline float tanh_f32(float x) {
  if (x != x) return x;
  const float a = x < 0.0f ? -x : x;
  float y = 1.0f;
  if (a < 9.0f) {
    const float t = expm1_f32(2.0f * a);
    y = t / (t + 2.0f);
  }
  return x < 0.0f ? -y : y;
}

// Only ever exponentiates a non-positive number, so nothing overflows and
// large |x| saturates cleanly to 0 or 1.
inline float sigmoid_f32(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + exp_f32(-x));
  const float e = exp_f32(x);
  return e / (1.0f + e);
}

}  // namespace kernels
}  // namespace yono
