// concat_f32, pad_f32 and softmax_f32 against index-formula implementations.
#include <gtest/gtest.h>

#include <numeric>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

// Concatenates three (C_i, H_i, W) tensors along `axis` (0 = channel, 1 = height)
// by computing, for every output coordinate, which input and coordinate it came from.
void check_concat(int axis, const uint32_t sizes[3], uint32_t other_c, uint32_t h, uint32_t w) {
  std::vector<float> in[3];
  uint32_t dims[3][3];
  uint32_t total = 0;
  for (int i = 0; i < 3; ++i) {
    dims[i][0] = axis == 0 ? sizes[i] : other_c;
    dims[i][1] = axis == 1 ? sizes[i] : h;
    dims[i][2] = w;
    in[i] = test::random_tensor(size_t{dims[i][0]} * dims[i][1] * dims[i][2], 500 + i);
    total += sizes[i];
  }
  const uint32_t out_c = axis == 0 ? total : other_c, out_h = axis == 1 ? total : h;
  std::vector<double> want(size_t{out_c} * out_h * w);
  for (uint32_t c = 0; c < out_c; ++c)
    for (uint32_t y = 0; y < out_h; ++y)
      for (uint32_t x = 0; x < w; ++x) {
        uint32_t pos = axis == 0 ? c : y;
        int src = 0;
        while (pos >= sizes[src]) pos -= sizes[src++];
        const uint32_t sc = axis == 0 ? pos : c, sy = axis == 1 ? pos : y;
        want[(c * out_h + y) * w + x] = in[src][(sc * dims[src][1] + sy) * w + x];
      }

  const ConcatParams p{axis == 0 ? 1u : other_c, axis == 0 ? h * w : w};
  uint32_t chunk[3];
  const float* ptrs[3];
  for (int i = 0; i < 3; ++i) {
    chunk[i] = sizes[i] * p.inner;
    ptrs[i] = in[i].data();
  }
  std::vector<float> out(want.size(), NAN);
  concat_f32(p, 3, ptrs, chunk, out.data());
  EXPECT_LE(test::max_abs_diff(out, want), 0.0);
}

TEST(ConcatKernel, ThreeInputsOnChannelAxis) {
  const uint32_t sizes[3] = {2, 5, 1};
  check_concat(0, sizes, 0, 4, 3);
}

TEST(ConcatKernel, ThreeInputsOnInnerAxis) {
  const uint32_t sizes[3] = {3, 1, 4};
  check_concat(1, sizes, 5, 0, 6);
}

TEST(PadKernel, AsymmetricConstantPad) {
  for (float value : {0.0f, -1.5f}) {
    const PadParams p{3, 4, 5, 1, 3, 2, 0, value};
    const uint32_t oh = 4 + 1 + 2, ow = 5 + 3 + 0;
    const auto x = test::random_tensor(3 * 4 * 5, 600);
    std::vector<double> want(size_t{3} * oh * ow);
    for (uint32_t c = 0; c < 3; ++c)
      for (uint32_t y = 0; y < oh; ++y)
        for (uint32_t xx = 0; xx < ow; ++xx) {
          const int sy = int(y) - 1, sx = int(xx) - 3;
          const bool inside = sy >= 0 && sy < 4 && sx >= 0 && sx < 5;
          want[(c * oh + y) * ow + xx] = inside ? x[(c * 4 + sy) * 5 + sx] : value;
        }
    std::vector<float> out(want.size(), NAN);
    pad_f32(p, x.data(), out.data());
    EXPECT_LE(test::max_abs_diff(out, want), 0.0) << "value " << value;
  }
}

TEST(PadKernel, RightAndBottomOnly) {
  const PadParams p{2, 3, 3, 0, 0, 1, 2, 7.0f};
  const auto x = test::random_tensor(18, 601);
  std::vector<float> out(size_t{2} * 4 * 5, NAN);
  pad_f32(p, x.data(), out.data());
  for (uint32_t c = 0; c < 2; ++c)
    for (uint32_t y = 0; y < 4; ++y)
      for (uint32_t xx = 0; xx < 5; ++xx)
        EXPECT_EQ(out[(c * 4 + y) * 5 + xx], (y < 3 && xx < 3) ? x[(c * 3 + y) * 3 + xx] : 7.0f);
}

std::vector<double> naive_softmax(const SoftmaxParams& p, const std::vector<float>& x) {
  std::vector<double> y(x.size());
  for (uint32_t o = 0; o < p.outer; ++o)
    for (uint32_t i = 0; i < p.inner; ++i) {
      auto at = [&](uint32_t k) { return (size_t{o} * p.axis_len + k) * p.inner + i; };
      double m = -INFINITY, sum = 0.0;
      for (uint32_t k = 0; k < p.axis_len; ++k) m = std::max(m, double{x[at(k)]});
      for (uint32_t k = 0; k < p.axis_len; ++k) sum += std::exp(x[at(k)] - m);
      for (uint32_t k = 0; k < p.axis_len; ++k) y[at(k)] = std::exp(x[at(k)] - m) / sum;
    }
  return y;
}

void check_softmax(const SoftmaxParams& p, float scale, uint32_t seed) {
  const auto x = test::random_tensor(size_t{p.outer} * p.axis_len * p.inner, seed, -scale, scale);
  std::vector<float> y(x.size(), NAN);
  softmax_f32(p, x.data(), y.data());
  EXPECT_LE(test::max_abs_diff(y, naive_softmax(p, x)), test::kTolerance);
  for (uint32_t o = 0; o < p.outer; ++o)
    for (uint32_t i = 0; i < p.inner; ++i) {
      double sum = 0.0;
      for (uint32_t k = 0; k < p.axis_len; ++k)
        sum += y[(size_t{o} * p.axis_len + k) * p.inner + i];
      EXPECT_NEAR(sum, 1.0, 1e-5);
    }
  std::vector<float> in_place = x;
  softmax_f32(p, in_place.data(), in_place.data());
  EXPECT_EQ(in_place, y);
}

TEST(SoftmaxKernel, LastAxis) {
  check_softmax({3, 10, 1}, 4.0f, 700);
}

TEST(SoftmaxKernel, MiddleAxis) {
  check_softmax({2, 5, 7}, 4.0f, 701);
}

TEST(SoftmaxKernel, LargeLogitsStayFinite) {
  check_softmax({1, 12, 2}, 1000.0f, 702);
}

}  // namespace
}  // namespace yono
