// dense_f32 against a double-precision matrix-vector product.
#include <gtest/gtest.h>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

std::vector<double> naive_dense(const DenseParams& p, const std::vector<float>& x,
                                const std::vector<float>& w, const std::vector<float>& b) {
  std::vector<double> y(p.out_features);
  for (uint32_t o = 0; o < p.out_features; ++o) {
    double acc = p.has_bias ? b[o] : 0.0;
    for (uint32_t i = 0; i < p.in_features; ++i) acc += double{w[o * p.in_features + i]} * x[i];
    y[o] = test::clamp_d(acc, p.act_min, p.act_max);
  }
  return y;
}

void check_dense(uint32_t in, uint32_t out_n, bool bias, float lo, float hi, uint32_t seed) {
  const DenseParams p{in, out_n, bias ? 1u : 0u, lo, hi};
  const auto x = test::random_tensor(in, seed);
  const auto w = test::random_tensor(size_t{in} * out_n, seed + 1);
  const auto b = test::random_tensor(out_n, seed + 2);
  std::vector<float> y(out_n, NAN);
  dense_f32(p, x.data(), w.data(), bias ? b.data() : nullptr, y.data());
  EXPECT_LE(test::max_abs_diff(y, naive_dense(p, x, w, b)), test::kTolerance);
}

TEST(DenseKernel, WithBias) {
  check_dense(37, 10, true, test::kNoMin, test::kNoMax, 1);
}

TEST(DenseKernel, WithoutBias) {
  check_dense(64, 7, false, test::kNoMin, test::kNoMax, 2);
}

TEST(DenseKernel, FusedRelu) {
  const DenseParams p{16, 32, 1, 0.0f, test::kNoMax};
  const auto x = test::random_tensor(16, 3);
  const auto w = test::random_tensor(16 * 32, 4);
  const auto b = test::random_tensor(32, 5);
  std::vector<float> y(32);
  dense_f32(p, x.data(), w.data(), b.data(), y.data());
  EXPECT_LE(test::max_abs_diff(y, naive_dense(p, x, w, b)), test::kTolerance);
  EXPECT_NE(std::count(y.begin(), y.end(), 0.0f), 0);  // the clamp was exercised
}

}  // namespace
}  // namespace yono
