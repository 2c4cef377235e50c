// axis_gather_f32 and log_softmax_f32 against index-formula implementations,
// and the AxisGather validation rules (docs/pack-format.md, rule 9).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

struct Gather {
  AxisGatherParams p{};
  std::vector<uint32_t> tables;
};

Gather make_gather(const std::vector<std::vector<uint32_t>>& tables) {
  Gather g;
  g.p.rank = static_cast<uint32_t>(tables.size());
  for (size_t k = 0; k < tables.size(); ++k) {
    g.p.dims[k] = static_cast<uint32_t>(tables[k].size());
    g.tables.insert(g.tables.end(), tables[k].begin(), tables[k].end());
  }
  return g;
}

// out[i0..] = in[t0[i0] + t1[i1] + ...], by explicit nested index arithmetic.
std::vector<double> naive_gather(const std::vector<std::vector<uint32_t>>& t,
                                 const std::vector<float>& in) {
  std::vector<double> out;
  std::vector<size_t> idx(t.size(), 0);
  for (;;) {
    size_t off = 0;
    for (size_t k = 0; k < t.size(); ++k) off += t[k][idx[k]];
    out.push_back(in[off]);
    size_t k = t.size();
    while (k-- > 0) {
      if (++idx[k] < t[k].size()) break;
      idx[k] = 0;
    }
    if (k == static_cast<size_t>(-1)) return out;
  }
}

void expect_gather(const std::vector<std::vector<uint32_t>>& tables, size_t in_size) {
  const auto in = test::random_tensor(in_size, static_cast<uint32_t>(in_size));
  const Gather g = make_gather(tables);
  const std::vector<double> want = naive_gather(tables, in);
  std::vector<float> out(want.size() + 1, NAN);  // one guard element
  axis_gather_f32(g.p, g.tables.data(), in.data(), out.data());
  EXPECT_TRUE(std::isnan(out.back())) << "wrote past the output";
  out.pop_back();
  EXPECT_LE(test::max_abs_diff(out, want), 0.0);
}

TEST(AxisGatherKernel, TransposeHwcToChw) {
  const uint32_t h = 3, w = 4, c = 5;  // in: [h][w][c], out: [c][h][w]
  std::vector<uint32_t> tc, th, tw;
  for (uint32_t i = 0; i < c; ++i) tc.push_back(i);
  for (uint32_t i = 0; i < h; ++i) th.push_back(i * w * c);
  for (uint32_t i = 0; i < w; ++i) tw.push_back(i * c);
  expect_gather({tc, th, tw}, h * w * c);
}

TEST(AxisGatherKernel, RankOneToSixRepeatsAndReversals) {
  expect_gather({{3, 1, 4, 1, 5}}, 6);                                    // rank 1, repeats
  expect_gather({{0, 8}, {3, 2, 1, 0}}, 12);                              // reversed inner axis
  expect_gather({{0, 0, 0}, {0, 1}}, 2);                                  // expand (zeros)
  expect_gather({{0, 32}, {0, 16}, {0, 8}, {0, 4}, {0, 2}, {0, 1}}, 64);  // rank 6
  expect_gather({{7}}, 8);                                                // a single element
}

TEST(LogSoftmaxKernel, MatchesLogOfSoftmaxOnEveryAxisLayout) {
  for (uint32_t inner : {1u, 3u}) {
    const SoftmaxParams p{2, 7, inner};
    const auto x = test::random_tensor(size_t{2} * 7 * inner, 40 + inner, -5.0f, 5.0f);
    std::vector<double> want(x.size());
    for (uint32_t o = 0; o < 2; ++o)
      for (uint32_t i = 0; i < inner; ++i) {
        double sum = 0;
        for (uint32_t k = 0; k < 7; ++k) sum += std::exp(double{x[(o * 7 + k) * inner + i]});
        for (uint32_t k = 0; k < 7; ++k)
          want[(o * 7 + k) * inner + i] = x[(o * 7 + k) * inner + i] - std::log(sum);
      }
    std::vector<float> out(x.size(), NAN);
    log_softmax_f32(p, x.data(), out.data());
    EXPECT_LE(test::max_abs_diff(out, want), test::kTolerance);
  }
}

TEST(LogSoftmaxKernel, FarBelowTheMaximumStaysFinite) {
  const float x[2] = {0.0f, -200.0f};  // softmax underflows to 0; log of it would be -inf
  float out[2];
  log_softmax_f32(SoftmaxParams{1, 2, 1}, x, out);
  EXPECT_NEAR(out[1], -200.0f, 1e-3f);
  EXPECT_TRUE(std::isfinite(out[1]));
}

}  // namespace
}  // namespace yono
