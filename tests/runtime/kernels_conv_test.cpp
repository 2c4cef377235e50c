// conv_f32 against a naive convolution over an explicitly zero-padded copy of
// the input, evaluated in double.
#include <gtest/gtest.h>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

using test::kNoMax;
using test::kNoMin;

struct ConvCase {
  uint32_t in_c, in_h, in_w, out_c, kh, kw;
  uint32_t stride_h, stride_w, dilation_h, dilation_w;
  uint32_t pad_top, pad_left, pad_bottom, pad_right;
  uint32_t groups;
  bool bias;
  float act_min, act_max;
};

ConvParams make_params(const ConvCase& c) {
  ConvParams p{};
  p.in_c = c.in_c;
  p.in_h = c.in_h;
  p.in_w = c.in_w;
  p.out_c = c.out_c;
  p.kh = c.kh;
  p.kw = c.kw;
  p.stride_h = c.stride_h;
  p.stride_w = c.stride_w;
  p.dilation_h = c.dilation_h;
  p.dilation_w = c.dilation_w;
  p.pad_top = c.pad_top;
  p.pad_left = c.pad_left;
  p.out_h = (c.in_h + c.pad_top + c.pad_bottom - (c.kh - 1) * c.dilation_h - 1) / c.stride_h + 1;
  p.out_w = (c.in_w + c.pad_left + c.pad_right - (c.kw - 1) * c.dilation_w - 1) / c.stride_w + 1;
  p.groups = c.groups;
  p.has_bias = c.bias ? 1 : 0;
  p.act_min = c.act_min;
  p.act_max = c.act_max;
  return p;
}

std::vector<double> naive_conv(const ConvCase& c, const ConvParams& p, const std::vector<float>& x,
                               const std::vector<float>& w, const std::vector<float>& b) {
  const uint32_t ph = c.in_h + c.pad_top + c.pad_bottom;
  const uint32_t pw = c.in_w + c.pad_left + c.pad_right;
  std::vector<double> padded(size_t{c.in_c} * ph * pw, 0.0);
  for (uint32_t ch = 0; ch < c.in_c; ++ch)
    for (uint32_t y = 0; y < c.in_h; ++y)
      for (uint32_t xx = 0; xx < c.in_w; ++xx)
        padded[(ch * ph + y + c.pad_top) * pw + xx + c.pad_left] =
            x[(ch * c.in_h + y) * c.in_w + xx];

  const uint32_t icg_n = c.in_c / c.groups, ocg_n = c.out_c / c.groups;
  std::vector<double> out(size_t{c.out_c} * p.out_h * p.out_w);
  for (uint32_t g = 0; g < c.groups; ++g)
    for (uint32_t ocg = 0; ocg < ocg_n; ++ocg) {
      const uint32_t oc = g * ocg_n + ocg;
      for (uint32_t oy = 0; oy < p.out_h; ++oy)
        for (uint32_t ox = 0; ox < p.out_w; ++ox) {
          double acc = c.bias ? b[oc] : 0.0;
          for (uint32_t icg = 0; icg < icg_n; ++icg)
            for (uint32_t ky = 0; ky < c.kh; ++ky)
              for (uint32_t kx = 0; kx < c.kw; ++kx) {
                const uint32_t y = oy * c.stride_h + ky * c.dilation_h;
                const uint32_t xx = ox * c.stride_w + kx * c.dilation_w;
                acc += padded[((g * icg_n + icg) * ph + y) * pw + xx] *
                       w[((oc * icg_n + icg) * c.kh + ky) * c.kw + kx];
              }
          out[(oc * p.out_h + oy) * p.out_w + ox] = test::clamp_d(acc, c.act_min, c.act_max);
        }
    }
  return out;
}

void check_conv(const ConvCase& c, uint32_t seed) {
  const ConvParams p = make_params(c);
  const auto x = test::random_tensor(size_t{c.in_c} * c.in_h * c.in_w, seed);
  const auto w = test::random_tensor(size_t{c.out_c} * (c.in_c / c.groups) * c.kh * c.kw, seed + 1);
  const auto b = test::random_tensor(c.out_c, seed + 2);
  std::vector<float> out(size_t{c.out_c} * p.out_h * p.out_w, NAN);
  conv_f32(p, x.data(), w.data(), c.bias ? b.data() : nullptr, out.data());
  EXPECT_LE(test::max_abs_diff(out, naive_conv(c, p, x, w, b)), test::kTolerance);
}

TEST(ConvKernel, OneDimensionalSamePadding) {
  check_conv({3, 1, 20, 4, 1, 5, 1, 1, 1, 1, 0, 2, 0, 2, 1, true, kNoMin, kNoMax}, 10);
}

TEST(ConvKernel, OneDimensionalStrideAndDilation) {
  check_conv({2, 1, 31, 5, 1, 3, 1, 2, 1, 3, 0, 1, 0, 2, 1, false, kNoMin, kNoMax}, 20);
}

TEST(ConvKernel, TwoDimensionalStrideDilationAsymmetricPadding) {
  check_conv({3, 9, 11, 4, 3, 2, 2, 3, 2, 1, 1, 2, 0, 3, 1, true, kNoMin, kNoMax}, 30);
}

TEST(ConvKernel, PointwiseNoPadding) {
  check_conv({5, 4, 4, 6, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, true, kNoMin, kNoMax}, 40);
}

TEST(ConvKernel, Grouped) {
  check_conv({6, 7, 7, 9, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, 3, true, kNoMin, kNoMax}, 50);
}

TEST(ConvKernel, Depthwise) {
  check_conv({8, 6, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8, true, kNoMin, kNoMax}, 60);
}

TEST(ConvKernel, DepthwiseWithChannelMultiplierAndStride) {
  check_conv({4, 8, 8, 8, 3, 3, 2, 2, 1, 1, 0, 1, 1, 0, 4, false, kNoMin, kNoMax}, 70);
}

TEST(ConvKernel, FusedClampHitsBothBounds) {
  const ConvCase c{4, 6, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, false, -0.5f, 0.5f};
  check_conv(c, 80);
  // Make sure the case really exercises the clamp rather than passing vacuously.
  const ConvParams p = make_params(c);
  const auto x = test::random_tensor(size_t{c.in_c} * c.in_h * c.in_w, 80);
  const auto w = test::random_tensor(size_t{c.out_c} * c.in_c * c.kh * c.kw, 81);
  std::vector<float> out(size_t{c.out_c} * p.out_h * p.out_w);
  conv_f32(p, x.data(), w.data(), nullptr, out.data());
  EXPECT_NE(std::count(out.begin(), out.end(), -0.5f), 0);
  EXPECT_NE(std::count(out.begin(), out.end(), 0.5f), 0);
}

TEST(ConvKernel, PaddingLargerThanKernelGivesBiasOnBorder) {
  // With pad 2 and a 1x1 kernel the outer ring sees only padding: output == bias.
  const ConvCase c{2, 3, 3, 3, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1, true, kNoMin, kNoMax};
  check_conv(c, 90);
  const ConvParams p = make_params(c);
  const auto x = test::random_tensor(18, 90);
  const auto w = test::random_tensor(6, 91);
  const auto b = test::random_tensor(3, 92);
  std::vector<float> out(size_t{3} * p.out_h * p.out_w);
  conv_f32(p, x.data(), w.data(), b.data(), out.data());
  for (uint32_t oc = 0; oc < 3; ++oc) EXPECT_EQ(out[oc * p.out_h * p.out_w], b[oc]);
}

}  // namespace
}  // namespace yono
