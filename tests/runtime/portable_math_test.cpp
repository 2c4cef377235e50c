// The runtime's own exp/expm1/log/tanh/sigmoid (kernels/portable_math.h)
// against libm in double precision, over their whole useful range and at the
// special values; they replace expf/logf/tanhf so host and device agree bit
// for bit, which only helps if they are also accurate.
#include "../../runtime/src/kernels/portable_math.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace yono::kernels {
namespace {

// |got - want| in units of the float spacing at want (ulp), from double.
double ulps(float got, double want) {
  const double spacing =
      std::max(static_cast<double>(std::nextafter(static_cast<float>(std::fabs(want)), INFINITY)) -
                   std::fabs(static_cast<float>(want)),
               std::ldexp(1.0, -149));
  return std::fabs(static_cast<double>(got) - want) / spacing;
}

template <class F, class G>
double worst_ulps(F f, G reference, float lo, float hi, int steps) {
  double worst = 0;
  for (int i = 0; i <= steps; ++i) {
    const float x = lo + (hi - lo) * static_cast<float>(i) / static_cast<float>(steps);
    worst = std::max(worst, ulps(f(x), reference(static_cast<double>(x))));
  }
  return worst;
}

TEST(PortableMath, ExpWithinFourUlpIncludingSubnormalResults) {
  EXPECT_LE(worst_ulps(
                exp_f32, [](double x) { return std::exp(x); }, -87.0f, 88.0f, 200000),
            4.0);
  EXPECT_LE(worst_ulps(
                exp_f32, [](double x) { return std::exp(x); }, -103.0f, -87.0f, 20000),
            4.0);
  EXPECT_EQ(exp_f32(0.0f), 1.0f);
  EXPECT_EQ(exp_f32(89.0f), std::numeric_limits<float>::infinity());
  EXPECT_EQ(exp_f32(-110.0f), 0.0f);
  EXPECT_EQ(exp_f32(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_TRUE(std::isnan(exp_f32(std::nanf(""))));
}

TEST(PortableMath, Expm1KeepsRelativeAccuracyNearZero) {
  EXPECT_LE(worst_ulps(
                expm1_f32, [](double x) { return std::expm1(x); }, -1.0f, 1.0f, 100000),
            4.0);
  EXPECT_LE(ulps(expm1_f32(1e-6f), std::expm1(1e-6)), 2.0);
}

TEST(PortableMath, LogWithinFourUlpFromSubnormalsToTheLargestFloat) {
  double worst = 0;
  // Steps of 2^-10 relative, at least one float (subnormals would round a
  // product back to itself).
  for (float x = std::ldexp(1.0f, -140); x < 3e38f;
       x = std::max(x * 1.0009765625f, std::nextafter(x, INFINITY)))
    worst = std::max(worst, ulps(log_f32(x), std::log(static_cast<double>(x))));
  EXPECT_LE(worst, 4.0);
  EXPECT_EQ(log_f32(1.0f), 0.0f);
  EXPECT_EQ(log_f32(0.0f), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(log_f32(-1.0f)));
  EXPECT_EQ(log_f32(std::numeric_limits<float>::infinity()),
            std::numeric_limits<float>::infinity());
}

TEST(PortableMath, TanhAndSigmoidAreAccurateOddAndSaturate) {
  EXPECT_LE(worst_ulps(
                tanh_f32, [](double x) { return std::tanh(x); }, -10.0f, 10.0f, 200000),
            4.0);
  EXPECT_LE(
      worst_ulps(
          sigmoid_f32, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, -80.0f, 30.0f, 200000),
      4.0);
  for (float x : {0.001f, 0.3f, 2.5f, 20.0f}) EXPECT_EQ(tanh_f32(-x), -tanh_f32(x));
  EXPECT_EQ(tanh_f32(50.0f), 1.0f);
  EXPECT_EQ(sigmoid_f32(200.0f), 1.0f);
  EXPECT_EQ(sigmoid_f32(-200.0f), 0.0f);
  EXPECT_TRUE(std::isnan(tanh_f32(std::nanf(""))));
}

}  // namespace
}  // namespace yono::kernels
