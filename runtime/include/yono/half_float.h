// IEEE binary16 <-> binary32: how f16 codebooks store their values. The one
// definition of the format's half floats; the kernels decode with it and the
// host compiler rounds and encodes codebooks with it, so both agree bit for
// bit.
#pragma once

#include <stdint.h>

namespace yono {

// binary16 -> binary32, the portable reference. Every half value is exactly
// representable as a float, so the conversion is exact; NaNs keep their sign
// and payload. It is branch-free so decoding a codeword costs the same
// whatever the value, and it never feeds a denormal into a float operation
// (some FPUs flush those to zero): a half subnormal m * 2^-24 is made as the
// normal float 2^-14 + m * 2^-24 (pure bit assembly) minus 2^-14, which is
// exact.
inline float half_to_float_portable(uint16_t h) {
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

// binary16 -> binary32 as the kernels decode f16 codebooks. On a Cortex-M
// FPU (FPv4-SP, FPv5: all have half-precision conversion, though GCC only
// advertises it in __ARM_FP under -mfp16-format) it is the one
// VCVTB instruction instead of ~15 for the bit assembly, which made PQ
// inference with f16 codebooks up to 1.24x the float32 instruction count
// (docs/BENCHMARKS.md). Bit-identical to half_to_float_portable for every
// non-NaN half (the firmware checks all of them in QEMU at start-up); a NaN
// stays a NaN of the same sign but comes out quiet.
inline float half_to_float(uint16_t h) {
#if defined(__arm__) && defined(__ARM_FP) && defined(__ARM_ARCH_PROFILE) && \
    __ARM_ARCH_PROFILE == 'M' && !defined(YONO_PORTABLE_HALF)
  float in, out;
  const uint32_t bits = h;
  __builtin_memcpy(&in, &bits, sizeof in);  // the half in the low 16 bits of an S register
  __asm__("vcvtb.f32.f16 %0, %1" : "=t"(out) : "t"(in));
  return out;
#else
  return half_to_float_portable(h);
#endif
}

// binary32 -> binary16, rounded to nearest with ties to even (IEEE's default,
// what a hardware conversion does), in integer arithmetic so the result does
// not depend on the FPU's rounding mode. Magnitudes from 65520 up become
// infinity, those up to 2^-25 a signed zero; infinity stays infinity and a
// NaN becomes a quiet NaN keeping its sign and the top of its payload. Only
// the host encodes; the device just reads.
inline uint16_t float_to_half(float f) {
  uint32_t x;
  __builtin_memcpy(&x, &f, sizeof x);
  const uint32_t sign = (x >> 16u) & 0x8000u;
  const uint32_t magnitude = x & 0x7fffffffu;
  if (magnitude >= 0x7f800000u) {  // infinity or NaN
    const uint32_t nan = magnitude > 0x7f800000u ? 0x0200u | ((magnitude >> 13u) & 0x03ffu) : 0u;
    return static_cast<uint16_t>(sign | 0x7c00u | nan);
  }
  const int32_t exponent = static_cast<int32_t>(magnitude >> 23u) - 127;
  if (exponent > 15) return static_cast<uint16_t>(sign | 0x7c00u);  // 2^16 and up
  if (exponent < -25) return static_cast<uint16_t>(sign);  // below 2^-25, float subnormals too
  // 24 significant bits down to the half's 11 (fewer for a half subnormal,
  // whose last bit is worth 2^-24).
  const uint32_t significand = (magnitude & 0x007fffffu) | 0x00800000u;
  const uint32_t drop = exponent < -14 ? static_cast<uint32_t>(-1 - exponent) : 13u;  // 13..24
  uint32_t kept = significand >> drop;
  const uint32_t rest = significand & ((1u << drop) - 1u);
  const uint32_t half_way = 1u << (drop - 1u);
  if (rest > half_way || (rest == half_way && (kept & 1u) != 0u)) ++kept;
  // The leading 1 of `kept` lands on the exponent field's lowest bit, hence
  // exponent + 14; a carry out of the mantissa moves on to the next binade
  // (from 65504 to infinity, from the largest subnormal to 2^-14).
  const uint32_t biased = exponent < -14 ? 0u : static_cast<uint32_t>(exponent + 14);
  return static_cast<uint16_t>(sign | ((biased << 10u) + kept));
}

}  // namespace yono
