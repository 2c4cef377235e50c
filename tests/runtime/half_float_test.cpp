// The float -> half encoder the host writes f16 codebooks with, against the
// compiler's own _Float16 conversion (round to nearest, ties to even): at and
// around every half value and every midpoint between two, where rounding
// decides, and on random floats. (Decoding is checked in pq_kernels_test.)
#include "yono/half_float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace {

uint16_t native_half(float f) {
  const _Float16 h = static_cast<_Float16>(f);
  uint16_t bits;
  std::memcpy(&bits, &h, sizeof bits);
  return bits;
}

float from_bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint32_t to_bits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

TEST(HalfFloat, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h <= 0xffffu; ++h) {
    if ((h & 0x7c00u) == 0x7c00u && (h & 0x03ffu) != 0u) continue;  // NaN: below
    ASSERT_EQ(yono::float_to_half(yono::half_to_float(static_cast<uint16_t>(h))), h)
        << std::hex << h;
  }
}

TEST(HalfFloat, RoundsToNearestEvenAroundEveryHalfAndMidpoint) {
  for (uint32_t h = 0; h < 0x7c00u; ++h) {
    for (const uint32_t sign : {0u, 0x8000u}) {
      const float v = yono::half_to_float(static_cast<uint16_t>(sign | h));
      const float next = yono::half_to_float(static_cast<uint16_t>(sign | (h + 1)));
      const float mid = static_cast<float>((static_cast<double>(v) + next) / 2);  // exact
      for (const float f : {v, mid}) {
        const uint32_t b = to_bits(f);
        for (uint32_t probe : {b - 1, b, b + 1}) {
          const float x = from_bits(probe);
          if (std::isnan(x)) continue;  // next to 0 and infinity; payloads are not rounded
          ASSERT_EQ(yono::float_to_half(x), native_half(x)) << std::hex << probe;
        }
      }
    }
  }
}

TEST(HalfFloat, MatchesNativeConversionOnRandomFloats) {
  std::mt19937 rng(16);
  for (int i = 0; i < 1000000; ++i) {
    const float x = from_bits(static_cast<uint32_t>(rng()));
    if (std::isnan(x)) continue;
    ASSERT_EQ(yono::float_to_half(x), native_half(x)) << std::hex << to_bits(x);
  }
}

TEST(HalfFloat, EdgesOfTheRange) {
  EXPECT_EQ(yono::float_to_half(65504.0f), 0x7bffu);
  EXPECT_EQ(yono::float_to_half(65519.99f), 0x7bffu);
  EXPECT_EQ(yono::float_to_half(65520.0f), 0x7c00u);  // the tie goes to even: infinity
  EXPECT_EQ(yono::float_to_half(-1e30f), 0xfc00u);
  EXPECT_EQ(yono::float_to_half(INFINITY), 0x7c00u);
  EXPECT_EQ(yono::float_to_half(std::ldexp(1.0f, -24)), 0x0001u);  // smallest subnormal
  EXPECT_EQ(yono::float_to_half(std::ldexp(1.0f, -25)), 0x0000u);  // its half: tie to even
  EXPECT_EQ(yono::float_to_half(std::ldexp(1.5f, -25)), 0x0001u);
  EXPECT_EQ(yono::float_to_half(-std::ldexp(1.0f, -140)), 0x8000u);  // float subnormal
  EXPECT_EQ(yono::float_to_half(-0.0f), 0x8000u);
}

TEST(HalfFloat, NanStaysNan) {
  const uint16_t h = yono::float_to_half(from_bits(0xffc01234u));
  EXPECT_EQ(h & 0xfc00u, 0xfc00u);
  EXPECT_NE(h & 0x03ffu, 0u);
  EXPECT_TRUE(std::isnan(yono::half_to_float(yono::float_to_half(from_bits(0x7f800001u)))));
}

}  // namespace
