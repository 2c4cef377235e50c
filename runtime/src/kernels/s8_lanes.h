// Private to the int8 kernels: pairs of int16 lanes in one 32-bit word, the
// DSP extension's operand (ACLE intrinsics from arm_acle.h where the core has
// it, the same arithmetic in portable C++ elsewhere, so host and device give
// the same bits).
#pragma once

#include <stdint.h>

#include "yono/kernels_s8.h"
#include "yono/requant.h"

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

namespace yono {
namespace kernels {

// Two int16 lanes as one word (any alignment: an unaligned LDR on Cortex-M).
inline uint32_t load_pair(const int16_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

inline uint32_t load_word(const int8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

// acc + a.lo * b.lo + a.hi * b.hi, wrapping: SMLAD where the core has it.
inline int32_t dual_mac(uint32_t a, uint32_t b, int32_t acc) {
#if defined(__ARM_FEATURE_DSP)
  return __smlad(static_cast<int16x2_t>(a), static_cast<int16x2_t>(b), acc);
#else
  const int32_t lo = int32_t{static_cast<int16_t>(a & 0xffffu)} * static_cast<int16_t>(b & 0xffffu);
  const int32_t hi = int32_t{static_cast<int16_t>(a >> 16)} * static_cast<int16_t>(b >> 16);
  return wrap_add(wrap_add(acc, lo), hi);
#endif
}

// Bytes 0 and 2 of four int8 (little-endian word) as two int16 lanes: SXTB16.
inline uint32_t even_bytes(uint32_t w) {
#if defined(__ARM_FEATURE_DSP)
  return static_cast<uint32_t>(__sxtb16(static_cast<int8x4_t>(w)));
#else
  const uint32_t lo = static_cast<uint16_t>(static_cast<int16_t>(static_cast<int8_t>(w & 0xffu)));
  const uint32_t hi =
      static_cast<uint16_t>(static_cast<int16_t>(static_cast<int8_t>((w >> 16) & 0xffu)));
  return lo | (hi << 16);
#endif
}

// Bytes 1 and 3: SXTB16 of the word rotated by 8.
inline uint32_t odd_bytes(uint32_t w) {
  return even_bytes((w >> 8) | (w << 24));
}

// An accumulator to its int8 output: requantized, zero point, clamp.
inline int8_t finish(int32_t acc, RequantEntry r, const S8Output& o) {
  return requantize_to_i8(acc, r, o.zero_point, o.act_min, o.act_max);
}

// out[i] = in[i] - zp (zp an int8 zero point, so every value fits int16).
// Plain loads and stores, four per pass: SXTAB16 widens four bytes in two
// instructions but into (b0, b2), (b1, b3) lanes, and restoring the order
// costs more than it saves (measured in QEMU).
inline void widen_s8(const int8_t* in, int32_t zp, uint32_t n, int16_t* out) {
  uint32_t i = 0;
  for (; i + 4u <= n; i += 4u) {
    out[i] = static_cast<int16_t>(in[i] - zp);
    out[i + 1u] = static_cast<int16_t>(in[i + 1u] - zp);
    out[i + 2u] = static_cast<int16_t>(in[i + 2u] - zp);
    out[i + 3u] = static_cast<int16_t>(in[i + 3u] - zp);
  }
  for (; i < n; ++i) out[i] = static_cast<int16_t>(in[i] - zp);
}

}  // namespace kernels
}  // namespace yono
