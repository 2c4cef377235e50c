#include <gtest/gtest.h>

#include <vector>

#include "yono/compiler/data/image_resize.h"

namespace yono::data {
namespace {

std::vector<float> resized(const std::vector<float>& in, int h, int w, int out_h, int out_w) {
  std::vector<float> out(static_cast<size_t>(out_h) * out_w, -1.f);
  resize_plane(in.data(), h, w, out.data(), out_h, out_w);
  return out;
}

TEST(ImageResize, SameSizeCopiesExactly) {
  std::vector<float> in;
  for (int i = 0; i < 12; ++i) in.push_back(static_cast<float>(i * i) / 7.f);
  EXPECT_EQ(resized(in, 3, 4, 3, 4), in);
}

TEST(ImageResize, HalvingAveragesEachBlock) {
  // 4x4 -> 2x2: every output is the mean of its 2x2 block, every input counts once.
  std::vector<float> in;
  for (int i = 0; i < 16; ++i) in.push_back(static_cast<float>(i));
  const std::vector<float> out = resized(in, 4, 4, 2, 2);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FLOAT_EQ(out[0], (0 + 1 + 4 + 5) / 4.f);
  EXPECT_FLOAT_EQ(out[1], (2 + 3 + 6 + 7) / 4.f);
  EXPECT_FLOAT_EQ(out[2], (8 + 9 + 12 + 13) / 4.f);
  EXPECT_FLOAT_EQ(out[3], (10 + 11 + 14 + 15) / 4.f);
}

TEST(ImageResize, FractionalShrinkWeighsByCoveredArea) {
  // 3 -> 2 along the width: output 0 covers input 0 and half of input 1.
  const std::vector<float> out = resized({3.f, 6.f, 12.f}, 1, 3, 1, 2);
  EXPECT_FLOAT_EQ(out[0], (3.f + 0.5f * 6.f) / 1.5f);
  EXPECT_FLOAT_EQ(out[1], (0.5f * 6.f + 12.f) / 1.5f);
}

TEST(ImageResize, EnlargingInterpolatesBetweenPixelCentres) {
  // 2 -> 4: centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped) in input pixels.
  const std::vector<float> out = resized({10.f, 30.f}, 1, 2, 1, 4);
  EXPECT_FLOAT_EQ(out[0], 10.f);
  EXPECT_FLOAT_EQ(out[1], 15.f);
  EXPECT_FLOAT_EQ(out[2], 25.f);
  EXPECT_FLOAT_EQ(out[3], 30.f);
  // Rows too: 2x1 -> 4x1 gives the same column.
  EXPECT_EQ(resized({10.f, 30.f}, 2, 1, 4, 1), out);
}

TEST(ImageResize, ConstantStaysConstantWhenOneAxisShrinksAndTheOtherGrows) {
  const std::vector<float> out = resized(std::vector<float>(35, 0.4f), 7, 5, 3, 9);
  for (float v : out) EXPECT_NEAR(v, 0.4f, 1e-6f);
}

}  // namespace
}  // namespace yono::data
