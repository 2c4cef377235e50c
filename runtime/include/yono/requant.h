// Integer execution's arithmetic, defined once for the runtime's kernels and
// the compiler that picks the constants (docs/pack-format.md, "Integer
// execution"). The conventions are TensorFlow Lite's, so a user who knows
// TFLite int8 models can reason about a yono int8 pack the same way:
// - a kI8 tensor holds q with real value scale * (q - zero_point);
// - an accumulator is scaled by a RequantEntry {multiplier M (Q31), shift s}
//   as TFLite's MultiplyByQuantizedMultiplier does: x = acc * 2^max(s, 0)
//   (saturated to int32), then the rounding doubling high half of x * M
//   (to nearest, ties toward +infinity), then a rounding right shift by
//   max(-s, 0) (to nearest, ties away from zero); together acc * M *
//   2^(s - 31), within 1 of the exact rounding;
// - accumulators wrap modulo 2^32 (as the DSP extension's SMLAD does), so
//   every kernel gives the same bits whatever order it sums in.
// Pure integer code except quantize/dequantize, which use one IEEE float
// division or multiplication each (identical on every IEEE target).
#pragma once

#include <stdint.h>

#include "yono/format.h"

namespace yono {

inline int32_t saturate_i32(int64_t v) {
  if (v > INT32_MAX) return INT32_MAX;
  if (v < INT32_MIN) return INT32_MIN;
  return static_cast<int32_t>(v);
}

// a * b / 2^31 to nearest, ties toward +infinity (the nudge is 2^30 for a
// positive product, 1 - 2^30 for a negative one, then truncation); the one
// overflowing case (INT32_MIN * INT32_MIN) saturates.
inline int32_t rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  // Division by 2^31 truncating toward zero, as shifts: a 64-bit division
  // is a library call on a Cortex-M, paid once per output.
  const int64_t x = ab + nudge;
  const int64_t toward_zero = x < 0 ? x + ((int64_t{1} << 31) - 1) : x;
  return static_cast<int32_t>(toward_zero >> 31);
}

// x / 2^exponent rounded half away from zero; exponent 0..31.
inline int32_t rounding_shift_right(int32_t x, int32_t exponent) {
  const int32_t mask = static_cast<int32_t>((uint32_t{1} << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  // Arithmetic shift of a negative value: what GCC does on every target.
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// acc * multiplier * 2^(shift - 31), rounded as the header says.
inline int32_t requantize(int32_t acc, RequantEntry r) {
  // A multiplication, not <<: shifting a negative value left is undefined in C++17.
  const int32_t x =
      r.shift > 0 ? saturate_i32(static_cast<int64_t>(acc) * (int64_t{1} << r.shift)) : acc;
  const int32_t high = rounding_doubling_high_mul(x, r.multiplier);
  return r.shift < 0 ? rounding_shift_right(high, -r.shift) : high;
}

// Any multiplier (a negative one scales a row whose weight scale is
// negative); the shift must keep every shift above defined.
inline bool valid_requant(RequantEntry r) {
  return r.shift >= -31 && r.shift <= 30;
}

inline int8_t clamp_i8(int64_t v, int32_t lo, int32_t hi) {
  if (v < lo) return static_cast<int8_t>(lo);
  if (v > hi) return static_cast<int8_t>(hi);
  return static_cast<int8_t>(v);
}

// clamp(requantize(acc, r) + zero_point, lo, hi) for an int8 zero point and
// bounds, in 32-bit arithmetic: a requantized value beyond +-256 clamps to
// the same bound whether or not the zero point is added.
inline int8_t requantize_to_i8(int32_t acc, RequantEntry r, int32_t zero_point, int32_t lo,
                               int32_t hi) {
  int32_t v = requantize(acc, r);
  if (v > 256) v = 256;
  if (v < -256) v = -256;
  v += zero_point;
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return static_cast<int8_t>(v);
}

// Adds a wrapped product to an accumulator: defined overflow, like SMLAD.
inline int32_t wrap_add(int32_t acc, int32_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(v));
}

// f32 -> i8: round(x / scale) (half away from zero) + zero_point, saturated;
// NaN gives -128. The rounding is done on the integer and fractional parts,
// as x + 0.5 would round 0.49999997 up.
inline int8_t quantize_value(float x, float scale, int32_t zero_point) {
  float v = x / scale;
  if (!(v > -512.0f)) v = -512.0f;  // NaN too
  if (v > 512.0f) v = 512.0f;
  int32_t i = static_cast<int32_t>(v);  // truncates toward zero; exact below 2^23
  const float frac = v - static_cast<float>(i);
  if (frac >= 0.5f) ++i;
  if (frac <= -0.5f) --i;
  return clamp_i8(int64_t{i} + zero_point, -128, 127);
}

inline float dequantize_value(int8_t q, float scale, int32_t zero_point) {
  return static_cast<float>(int32_t{q} - zero_point) * scale;
}

}  // namespace yono
