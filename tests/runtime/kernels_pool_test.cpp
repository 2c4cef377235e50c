// pool_f32 and global_pool_f32 against naive per-tap loops, plus a few values
// produced by PyTorch (avg_pool2d, ceil_mode=True, count_include_pad=True) to
// pin down the divisor rule that a naive loop written here could get wrong too.
#include <gtest/gtest.h>

#include <numeric>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

PoolParams make_pool(PoolKind kind, uint32_t c, uint32_t in_h, uint32_t in_w, uint32_t k_h,
                     uint32_t k_w, uint32_t s_h, uint32_t s_w, uint32_t pad_h, uint32_t pad_w,
                     bool ceil_mode, bool include_pad) {
  auto out_dim = [](uint32_t in, uint32_t k, uint32_t s, uint32_t pad, bool ceil) {
    const uint32_t span = in + 2 * pad - k;
    uint32_t out = (ceil ? (span + s - 1) / s : span / s) + 1;
    // PyTorch: the last window must start inside the input or the left padding.
    if (ceil && (out - 1) * s >= in + pad) --out;
    return out;
  };
  PoolParams p{};
  p.kind = static_cast<uint32_t>(kind);
  p.c = c;
  p.in_h = in_h;
  p.in_w = in_w;
  p.out_h = out_dim(in_h, k_h, s_h, pad_h, ceil_mode);
  p.out_w = out_dim(in_w, k_w, s_w, pad_w, ceil_mode);
  p.kh = k_h;
  p.kw = k_w;
  p.stride_h = s_h;
  p.stride_w = s_w;
  p.pad_top = pad_h;
  p.pad_left = pad_w;
  p.count_include_pad = include_pad ? 1 : 0;
  return p;
}

// Visits every tap of every window one by one. A tap counts for
// count_include_pad when it lies in the input grown by `pad` on both sides.
std::vector<double> naive_pool(const PoolParams& p, const std::vector<float>& x) {
  const bool is_max = p.kind == static_cast<uint32_t>(PoolKind::kMax);
  std::vector<double> out(size_t{p.c} * p.out_h * p.out_w);
  for (int ch = 0; ch < int(p.c); ++ch)
    for (int oy = 0; oy < int(p.out_h); ++oy)
      for (int ox = 0; ox < int(p.out_w); ++ox) {
        double best = -INFINITY, sum = 0.0;
        int valid = 0, padded = 0;
        for (int ky = 0; ky < int(p.kh); ++ky)
          for (int kx = 0; kx < int(p.kw); ++kx) {
            const int y = oy * int(p.stride_h) - int(p.pad_top) + ky;
            const int xx = ox * int(p.stride_w) - int(p.pad_left) + kx;
            if (y < int(p.in_h + p.pad_top) && xx < int(p.in_w + p.pad_left)) ++padded;
            if (y < 0 || xx < 0 || y >= int(p.in_h) || xx >= int(p.in_w)) continue;
            const double v = x[(ch * p.in_h + y) * p.in_w + xx];
            best = std::max(best, v);
            sum += v;
            ++valid;
          }
        double r = 0.0;
        if (valid > 0) r = is_max ? best : sum / (p.count_include_pad ? padded : valid);
        out[(ch * p.out_h + oy) * p.out_w + ox] = r;
      }
  return out;
}

void check_pool(const PoolParams& p, uint32_t seed) {
  const auto x = test::random_tensor(size_t{p.c} * p.in_h * p.in_w, seed);
  std::vector<float> out(size_t{p.c} * p.out_h * p.out_w, NAN);
  pool_f32(p, x.data(), out.data());
  EXPECT_LE(test::max_abs_diff(out, naive_pool(p, x)), test::kTolerance);
}

constexpr PoolKind kMax = PoolKind::kMax;
constexpr PoolKind kAvg = PoolKind::kAverage;

TEST(PoolKernel, MaxNoPadding) {
  check_pool(make_pool(kMax, 3, 8, 8, 2, 2, 2, 2, 0, 0, false, false), 1);
}

TEST(PoolKernel, MaxWithPaddingIgnoresPaddedTaps) {
  // All-negative input: a padded tap taken as 0 would win the max and show up.
  const PoolParams p = make_pool(kMax, 2, 7, 6, 3, 3, 2, 2, 1, 1, false, false);
  const auto x = test::random_tensor(size_t{2} * 7 * 6, 2, -2.0f, -1.0f);
  std::vector<float> out(size_t{2} * p.out_h * p.out_w);
  pool_f32(p, x.data(), out.data());
  EXPECT_LE(test::max_abs_diff(out, naive_pool(p, x)), test::kTolerance);
  for (float v : out) EXPECT_LT(v, -1.0f + 1e-6f);
}

TEST(PoolKernel, MaxCeilMode) {
  check_pool(make_pool(kMax, 2, 7, 9, 3, 2, 2, 3, 1, 0, true, false), 3);
}

TEST(PoolKernel, AverageExcludePad) {
  check_pool(make_pool(kAvg, 3, 7, 7, 3, 3, 2, 2, 1, 1, false, false), 4);
}

TEST(PoolKernel, AverageIncludePad) {
  check_pool(make_pool(kAvg, 3, 7, 7, 3, 3, 2, 2, 1, 1, false, true), 5);
}

TEST(PoolKernel, AverageCeilModeExcludePad) {
  check_pool(make_pool(kAvg, 2, 6, 9, 3, 2, 2, 2, 1, 1, true, false), 6);
}

TEST(PoolKernel, AverageCeilModeIncludePad) {
  check_pool(make_pool(kAvg, 2, 6, 9, 3, 2, 2, 2, 1, 1, true, true), 7);
}

TEST(PoolKernel, OneDimensional) {
  check_pool(make_pool(kMax, 4, 1, 17, 1, 3, 1, 2, 0, 1, true, false), 8);
  check_pool(make_pool(kAvg, 4, 1, 17, 1, 3, 1, 2, 0, 1, true, true), 9);
}

TEST(PoolKernel, AverageCeilModeIncludePadMatchesPyTorch) {
  // F.avg_pool2d(arange(36).view(1,1,6,6), 3, 2, 1, ceil_mode=True, count_include_pad=True)
  const float expected[16] = {1.5555556f, 3.3333333f, 4.6666665f, 2.6666667f, 8.3333330f, 14.0f,
                              16.0f,      8.5f,       16.333334f, 26.0f,      28.0f,      14.5f,
                              10.166667f, 16.0f,      17.0f,      8.75f};
  const PoolParams p = make_pool(kAvg, 1, 6, 6, 3, 3, 2, 2, 1, 1, true, true);
  ASSERT_EQ(p.out_h, 4u);
  ASSERT_EQ(p.out_w, 4u);
  float x[36];
  for (int i = 0; i < 36; ++i) x[i] = float(i);
  float out[16];
  pool_f32(p, x, out);
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(out[i], expected[i], 1e-5) << i;
}

TEST(PoolKernel, AverageCeilModeNoPadMatchesPyTorch) {
  // F.avg_pool2d(arange(25).view(1,1,5,5), 2, 2, 0, ceil_mode=True, count_include_pad=True)
  const float expected[9] = {3.0f, 5.0f, 6.5f, 13.0f, 15.0f, 16.5f, 20.5f, 22.5f, 24.0f};
  const PoolParams p = make_pool(kAvg, 1, 5, 5, 2, 2, 2, 2, 0, 0, true, true);
  ASSERT_EQ(p.out_h, 3u);
  float x[25];
  for (int i = 0; i < 25; ++i) x[i] = float(i);
  float out[9];
  pool_f32(p, x, out);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(out[i], expected[i], 1e-5) << i;
}

TEST(PoolKernel, WindowWithoutValidTapsOutputsZero) {
  // pad 2 with a 2x2 window: the first window covers only padding.
  for (PoolKind kind : {kMax, kAvg}) {
    for (bool include_pad : {false, true}) {
      PoolParams p = make_pool(kind, 1, 3, 3, 2, 2, 1, 1, 0, 0, false, include_pad);
      p.pad_top = 2;
      p.pad_left = 2;
      p.out_h = 4;
      p.out_w = 4;
      const auto x = test::random_tensor(9, 10, -3.0f, -1.0f);
      std::vector<float> out(16, NAN);
      pool_f32(p, x.data(), out.data());
      EXPECT_EQ(out[0], 0.0f);
      EXPECT_LE(test::max_abs_diff(out, naive_pool(p, x)), test::kTolerance);
    }
  }
}

std::vector<double> naive_global(PoolKind kind, uint32_t c, uint32_t spatial,
                                 const std::vector<float>& x) {
  std::vector<double> out(c);
  for (uint32_t ch = 0; ch < c; ++ch) {
    const auto first = x.begin() + ch * spatial, last = first + spatial;
    const double sum = std::accumulate(first, last, 0.0);
    out[ch] = kind == kMax             ? double{*std::max_element(first, last)}
              : kind == PoolKind::kSum ? sum
                                       : sum / spatial;
  }
  return out;
}

TEST(GlobalPoolKernel, MeanMaxAndSum) {
  for (PoolKind kind : {kMax, kAvg, PoolKind::kSum}) {
    for (uint32_t spatial : {1u, 49u, 250u}) {
      const GlobalPoolParams p{static_cast<uint32_t>(kind), 6, spatial};
      const auto x = test::random_tensor(size_t{6} * spatial, spatial);
      std::vector<float> out(6, NAN);
      global_pool_f32(p, x.data(), out.data());
      EXPECT_LE(test::max_abs_diff(out, naive_global(kind, 6, spatial, x)), test::kTolerance);
    }
  }
}

}  // namespace
}  // namespace yono

namespace yono {
namespace {

// Max pooling must not turn -inf into -FLT_MAX nor drop a NaN, as PyTorch.
TEST(PoolKernel, MaxKeepsInfinityAndNan) {
  const float inf = INFINITY, nan = NAN;
  const float input[8] = {-inf, -inf, nan, 1.0f, -inf, -inf, 2.0f, 3.0f};  // 1 x 2 x 4
  PoolParams p{};
  p.kind = static_cast<uint32_t>(PoolKind::kMax);
  p.c = 1;
  p.in_h = 2;
  p.in_w = 4;
  p.out_h = 1;
  p.out_w = 2;
  p.kh = p.kw = 2;
  p.stride_h = p.stride_w = 2;
  float out[2];
  pool_f32(p, input, out);
  EXPECT_EQ(out[0], -inf);
  EXPECT_TRUE(std::isnan(out[1]));

  GlobalPoolParams g{};
  g.kind = static_cast<uint32_t>(PoolKind::kMax);
  g.c = 2;
  g.spatial = 4;
  const float planes[8] = {-inf, -inf, -inf, -inf, 1.0f, nan, 5.0f, 2.0f};
  global_pool_f32(g, planes, out);
  EXPECT_EQ(out[0], -inf);
  EXPECT_TRUE(std::isnan(out[1]));
}

}  // namespace
}  // namespace yono
