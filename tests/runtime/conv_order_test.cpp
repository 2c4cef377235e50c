// conv_f32 is bitwise a float sum in the documented order: bias, then input *
// weight over (input channel, ky, kx), padding taps skipped. The decoding
// convolutions and the MCU-vs-host check rely on that order, and the kernel
// schedules outputs in blocks, border and interior apart, so this sweeps the
// shapes that take each path: widths that leave block remainders, 1- and
// 3-wide and other kernels, strides 1-3, dilation, padding wider than the
// kernel, grouped and depthwise.
#include <gtest/gtest.h>

#include <cstring>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

// Same order as the contract, in float, one output at a time.
std::vector<float> ordered_conv(const ConvParams& p, const std::vector<float>& x,
                                const std::vector<float>& w, const std::vector<float>& b) {
  const uint32_t icg_n = p.in_c / p.groups, ocg_n = p.out_c / p.groups;
  std::vector<float> out(size_t{p.out_c} * p.out_h * p.out_w);
  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    const uint32_t ic0 = oc / ocg_n * icg_n;
    for (uint32_t oy = 0; oy < p.out_h; ++oy)
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        float acc = p.has_bias ? b[oc] : 0.0f;
        for (uint32_t icg = 0; icg < icg_n; ++icg)
          for (uint32_t ky = 0; ky < p.kh; ++ky)
            for (uint32_t kx = 0; kx < p.kw; ++kx) {
              const int64_t y = int64_t{oy} * p.stride_h + ky * p.dilation_h - p.pad_top;
              const int64_t xx = int64_t{ox} * p.stride_w + kx * p.dilation_w - p.pad_left;
              if (y < 0 || y >= p.in_h || xx < 0 || xx >= p.in_w) continue;
              const float prod = x[((ic0 + icg) * p.in_h + y) * p.in_w + xx] *
                                 w[((size_t{oc} * icg_n + icg) * p.kh + ky) * p.kw + kx];
              acc += prod;
            }
        out[(size_t{oc} * p.out_h + oy) * p.out_w + ox] =
            std::min(std::max(acc, p.act_min), p.act_max);
      }
  }
  return out;
}

void expect_bitwise(uint32_t in_c, uint32_t in_h, uint32_t in_w, uint32_t out_c, uint32_t kh,
                    uint32_t kw, uint32_t stride, uint32_t dilation, uint32_t pad, uint32_t groups,
                    uint32_t seed) {
  ConvParams p{};
  p.in_c = in_c;
  p.in_h = in_h;
  p.in_w = in_w;
  p.out_c = out_c;
  p.kh = kh;
  p.kw = kw;
  p.stride_h = stride;
  p.stride_w = stride;
  p.dilation_h = dilation;
  p.dilation_w = dilation;
  p.pad_top = (kh == 1) ? 0 : pad;
  p.pad_left = pad;
  // Bottom/right padding one less than top/left: asymmetric, as ONNX allows.
  const uint32_t pad_bottom = p.pad_top > 0 ? p.pad_top - 1 : 0;
  const uint32_t pad_right = pad > 0 ? pad - 1 : 0;
  // Sweep points whose dilated kernel exceeds the padded input have no output.
  if (in_h + p.pad_top + pad_bottom < (kh - 1) * dilation + 1) return;
  if (in_w + pad + pad_right < (kw - 1) * dilation + 1) return;
  p.out_h = (in_h + p.pad_top + pad_bottom - (kh - 1) * dilation - 1) / stride + 1;
  p.out_w = (in_w + pad + pad_right - (kw - 1) * dilation - 1) / stride + 1;
  p.groups = groups;
  p.has_bias = seed % 2;
  p.act_min = -0.75f;
  p.act_max = test::kNoMax;

  const auto x = test::random_tensor(size_t{in_c} * in_h * in_w, seed);
  const auto w = test::random_tensor(size_t{out_c} * (in_c / groups) * kh * kw, seed + 1);
  const auto b = test::random_tensor(out_c, seed + 2);
  std::vector<float> got(size_t{out_c} * p.out_h * p.out_w, NAN);
  conv_f32(p, x.data(), w.data(), b.data(), got.data());
  const auto want = ordered_conv(p, x, w, b);
  ASSERT_EQ(got.size(), want.size());
  EXPECT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * sizeof(float)))
      << "in " << in_c << "x" << in_h << "x" << in_w << " k " << kh << "x" << kw << " stride "
      << stride << " dilation " << dilation << " pad " << pad << " groups " << groups;
}

TEST(ConvOrder, TwoDimensionalShapesAreBitwiseTheOrderedSum) {
  uint32_t seed = 1;
  for (uint32_t k : {1u, 2u, 3u, 5u})
    for (uint32_t stride : {1u, 2u, 3u})
      for (uint32_t dilation : {1u, 2u})
        for (uint32_t pad : {0u, 1u, 3u})
          for (uint32_t in_w : {3u, 9u, 14u})
            for (uint32_t in_h : {7u, 12u})
              expect_bitwise(3, in_h, in_w, 2, k, k, stride, dilation, pad, 1, seed++);
}

TEST(ConvOrder, OneDimensionalAndNonSquareKernels) {
  expect_bitwise(4, 1, 29, 3, 1, 5, 1, 1, 2, 1, 11);
  expect_bitwise(4, 1, 29, 3, 1, 3, 2, 1, 1, 1, 12);
  expect_bitwise(1, 13, 11, 4, 5, 2, 2, 1, 2, 1, 13);
  expect_bitwise(2, 12, 17, 3, 3, 4, 1, 1, 1, 1, 14);
}

TEST(ConvOrder, GroupedAndDepthwise) {
  expect_bitwise(8, 9, 13, 8, 3, 3, 1, 1, 1, 8, 21);
  expect_bitwise(8, 9, 13, 16, 3, 3, 2, 1, 1, 8, 22);
  expect_bitwise(6, 5, 12, 9, 1, 1, 1, 1, 0, 3, 23);
}

}  // namespace
}  // namespace yono
