// IEEE binary16 -> binary32 for f16 codebooks. Every half value is exactly
// representable as a float, so the conversion is exact. It is branch-free so
// decoding a codeword costs the same whatever the value, and it never feeds a
// denormal into a float operation (some FPUs flush those to zero): a half
// subnormal m * 2^-24 is made as the normal float 2^-14 + m * 2^-24 (pure bit
// assembly) minus 2^-14, which is exact.
#pragma once

#include <stdint.h>

namespace yono {
namespace kernels {

inline float half_to_float(uint16_t h) {
  const uint32_t magnitude = static_cast<uint32_t>(h & 0x7fffu) << 13u;  // float's field positions
  const uint32_t exponent = magnitude & 0x0f800000u;                     // the half's, in place
  // Rebias 15 -> 127; exponent 31 (inf/NaN) gets another 112 to reach 255,
  // keeping the mantissa, hence NaN payloads.
  const uint32_t is_max = 0u - static_cast<uint32_t>(exponent == 0x0f800000u);
  const uint32_t normal = magnitude + 0x38000000u + (is_max & 0x38000000u);

  const uint32_t two_pow_m14 = 0x38800000u;
  const uint32_t shifted = magnitude + two_pow_m14;  // 2^-14 + m * 2^-24 when exponent is 0
  float small, bias;
  __builtin_memcpy(&small, &shifted, sizeof small);
  __builtin_memcpy(&bias, &two_pow_m14, sizeof bias);
  small -= bias;
  uint32_t small_bits;
  __builtin_memcpy(&small_bits, &small, sizeof small_bits);

  const uint32_t is_small = 0u - static_cast<uint32_t>(exponent == 0u);
  const uint32_t bits =
      (static_cast<uint32_t>(h & 0x8000u) << 16u) | (normal & ~is_small) | (small_bits & is_small);
  float out;
  __builtin_memcpy(&out, &bits, sizeof out);
  return out;
}

}  // namespace kernels
}  // namespace yono
