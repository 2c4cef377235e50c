// unary_f32, binary_f32 and channel_affine_f32 against double-precision
// formulas, including extreme inputs and in-place operation.
#include <gtest/gtest.h>

#include "kernel_test_util.h"
#include "yono/kernels.h"

namespace yono {
namespace {

double naive_unary(UnaryKind kind, double x, double alpha, double beta) {
  switch (kind) {
    case UnaryKind::kRelu: return std::max(x, 0.0);
    case UnaryKind::kLeakyRelu: return x < 0 ? alpha * x : x;
    case UnaryKind::kClip: return std::min(std::max(x, alpha), beta);
    case UnaryKind::kSigmoid: return 1.0 / (1.0 + std::exp(-x));
    case UnaryKind::kTanh: return std::tanh(x);
    case UnaryKind::kHardSigmoid: return std::min(1.0, std::max(0.0, alpha * x + beta));
    case UnaryKind::kHardSwish: return x * std::min(6.0, std::max(0.0, x + 3.0)) / 6.0;
  }
  return NAN;
}

struct UnaryCase {
  UnaryKind kind;
  float alpha, beta;
};

const UnaryCase kUnaryCases[] = {
    {UnaryKind::kRelu, 0, 0},
    {UnaryKind::kLeakyRelu, 0.01f, 0},
    {UnaryKind::kLeakyRelu, 0.2f, 0},
    {UnaryKind::kClip, -1.5f, 0.75f},
    {UnaryKind::kClip, 0.0f, 6.0f},
    {UnaryKind::kSigmoid, 0, 0},
    {UnaryKind::kTanh, 0, 0},
    {UnaryKind::kHardSigmoid, 0.2f, 0.5f},
    {UnaryKind::kHardSigmoid, 1.0f / 6, 0.5f},
    {UnaryKind::kHardSwish, 0, 0},
};

std::vector<float> unary_inputs() {
  auto x = test::random_tensor(200, 7, -8.0f, 8.0f);
  // Extremes: saturation of sigmoid/tanh, and the kinks of the piecewise ones.
  for (float v :
       {-100.0f, 100.0f, -1e30f, 1e30f, -88.8f, 89.0f, 0.0f, -0.0f, -3.0f, 3.0f, -2.5f, 2.5f, 6.0f})
    x.push_back(v);
  return x;
}

TEST(UnaryKernel, EveryKindMatchesFormula) {
  const auto x = unary_inputs();
  for (const UnaryCase& c : kUnaryCases) {
    const UnaryParams p{static_cast<uint32_t>(c.kind), static_cast<uint32_t>(x.size()), c.alpha,
                        c.beta};
    std::vector<float> y(x.size(), NAN);
    unary_f32(p, x.data(), y.data());
    for (size_t i = 0; i < x.size(); ++i) {
      const double want = naive_unary(c.kind, x[i], c.alpha, c.beta);
      ASSERT_TRUE(std::isfinite(y[i])) << "kind " << p.kind << " x " << x[i];
      // Relative for the huge inputs that pass straight through (relu(1e30)).
      EXPECT_LE(std::fabs(y[i] - want), test::kTolerance * std::max(1.0, std::fabs(want)))
          << "kind " << p.kind << " x " << x[i];
    }
  }
}

TEST(UnaryKernel, SigmoidSaturatesWithoutNaN) {
  const float x[4] = {-100.0f, 100.0f, -1e30f, 1e30f};
  float y[4];
  unary_f32({static_cast<uint32_t>(UnaryKind::kSigmoid), 4, 0, 0}, x, y);
  // exp(-100) is about 4e-44: a subnormal or 0, but never NaN or negative.
  for (int i : {0, 2}) {
    EXPECT_GE(y[i], 0.0f);
    EXPECT_LT(y[i], 1e-30f);
  }
  EXPECT_EQ(y[1], 1.0f);
  EXPECT_EQ(y[3], 1.0f);
}

TEST(UnaryKernel, InPlaceMatchesOutOfPlace) {
  const auto x = unary_inputs();
  for (const UnaryCase& c : kUnaryCases) {
    const UnaryParams p{static_cast<uint32_t>(c.kind), static_cast<uint32_t>(x.size()), c.alpha,
                        c.beta};
    std::vector<float> separate(x.size()), in_place = x;
    unary_f32(p, x.data(), separate.data());
    unary_f32(p, in_place.data(), in_place.data());
    EXPECT_EQ(separate, in_place) << "kind " << p.kind;
  }
}

double combine(BinaryKind kind, double a, double b) {
  switch (kind) {
    case BinaryKind::kAdd: return a + b;
    case BinaryKind::kSub: return a - b;
    case BinaryKind::kMul: return a * b;
    case BinaryKind::kDiv: return static_cast<double>(a) / b;
    case BinaryKind::kPRelu: return a >= 0 ? a : static_cast<double>(a) * b;
  }
  return NAN;
}

// Size of each operand and the element of it that output index i reads.
struct Operands {
  size_t a_size, b_size;
  size_t a_index(Broadcast m, size_t i, uint32_t inner) const {
    if (m == Broadcast::kAScalar) return 0;
    if (m == Broadcast::kAPerChannel) return i / inner;
    return i;
  }
  size_t b_index(Broadcast m, size_t i, uint32_t inner) const {
    if (m == Broadcast::kBScalar) return 0;
    if (m == Broadcast::kBPerChannel) return i / inner;
    return i;
  }
};

Operands operand_sizes(Broadcast m, uint32_t count, uint32_t c) {
  switch (m) {
    case Broadcast::kNone: return {count, count};
    case Broadcast::kBPerChannel: return {count, c};
    case Broadcast::kBScalar: return {count, 1};
    case Broadcast::kAPerChannel: return {c, count};
    case Broadcast::kAScalar: return {1, count};
  }
  return {0, 0};
}

constexpr Broadcast kModes[] = {Broadcast::kNone, Broadcast::kBPerChannel, Broadcast::kBScalar,
                                Broadcast::kAPerChannel, Broadcast::kAScalar};
constexpr BinaryKind kKinds[] = {BinaryKind::kAdd, BinaryKind::kSub, BinaryKind::kMul,
                                 BinaryKind::kDiv, BinaryKind::kPRelu};

std::vector<double> naive_binary(const BinaryParams& p, const std::vector<float>& a,
                                 const std::vector<float>& b) {
  const auto m = static_cast<Broadcast>(p.broadcast);
  const Operands ops = operand_sizes(m, p.count, p.c);
  std::vector<double> out(p.count);
  for (size_t i = 0; i < p.count; ++i)
    out[i] = test::clamp_d(combine(static_cast<BinaryKind>(p.kind), a[ops.a_index(m, i, p.inner)],
                                   b[ops.b_index(m, i, p.inner)]),
                           p.act_min, p.act_max);
  return out;
}

TEST(BinaryKernel, EveryKindAndBroadcastMode) {
  const uint32_t c = 5, inner = 12, count = c * inner;
  uint32_t seed = 100;
  for (Broadcast m : kModes) {
    for (BinaryKind kind : kKinds) {
      for (bool clamp : {false, true}) {
        const BinaryParams p{
            static_cast<uint32_t>(kind),  static_cast<uint32_t>(m),   count, c, inner,
            clamp ? -0.3f : test::kNoMin, clamp ? 0.4f : test::kNoMax};
        const Operands ops = operand_sizes(m, count, c);
        const auto a = test::random_tensor(ops.a_size, ++seed);
        const auto b = test::random_tensor(ops.b_size, ++seed);
        std::vector<float> out(count, NAN);
        binary_f32(p, a.data(), b.data(), out.data());
        EXPECT_LE(test::max_abs_diff(out, naive_binary(p, a, b)), test::kTolerance)
            << "mode " << p.broadcast << " kind " << p.kind << " clamp " << clamp;
      }
    }
  }
}

TEST(BinaryKernel, InPlaceIntoEitherFullSizeOperand) {
  const uint32_t c = 4, inner = 9, count = c * inner;
  uint32_t seed = 200;
  for (Broadcast m : kModes) {
    for (BinaryKind kind : kKinds) {
      const BinaryParams p{static_cast<uint32_t>(kind),
                           static_cast<uint32_t>(m),
                           count,
                           c,
                           inner,
                           test::kNoMin,
                           test::kNoMax};
      const Operands ops = operand_sizes(m, count, c);
      const auto a = test::random_tensor(ops.a_size, ++seed);
      const auto b = test::random_tensor(ops.b_size, ++seed);
      const auto want = naive_binary(p, a, b);
      if (ops.a_size == count) {
        std::vector<float> a_out = a;
        binary_f32(p, a_out.data(), b.data(), a_out.data());
        EXPECT_LE(test::max_abs_diff(a_out, want), test::kTolerance)
            << "out == a, mode " << p.broadcast;
      }
      if (ops.b_size == count) {
        std::vector<float> b_out = b;
        binary_f32(p, a.data(), b_out.data(), b_out.data());
        EXPECT_LE(test::max_abs_diff(b_out, want), test::kTolerance)
            << "out == b, mode " << p.broadcast;
      }
    }
  }
  // Both operands the same buffer as the output: x = x * x.
  std::vector<float> x = test::random_tensor(count, 300);
  std::vector<double> squared(count);
  for (size_t i = 0; i < count; ++i) squared[i] = double{x[i]} * x[i];
  binary_f32(
      {static_cast<uint32_t>(BinaryKind::kMul), 0, count, c, inner, test::kNoMin, test::kNoMax},
      x.data(), x.data(), x.data());
  EXPECT_LE(test::max_abs_diff(x, squared), test::kTolerance);
}

TEST(ChannelAffineKernel, MatchesFormulaWithAndWithoutClamp) {
  const uint32_t c = 6, inner = 25;
  for (bool clamp : {false, true}) {
    const ChannelAffineParams p{c, inner, clamp ? 0.0f : test::kNoMin, clamp ? 1.0f : test::kNoMax};
    const auto x = test::random_tensor(size_t{c} * inner, 400);
    const auto scale = test::random_tensor(c, 401, -2.0f, 2.0f);
    const auto shift = test::random_tensor(c, 402);
    std::vector<double> want(x.size());
    for (uint32_t ch = 0; ch < c; ++ch)
      for (uint32_t j = 0; j < inner; ++j)
        want[ch * inner + j] =
            test::clamp_d(double{x[ch * inner + j]} * scale[ch] + shift[ch], p.act_min, p.act_max);
    std::vector<float> out(x.size(), NAN);
    channel_affine_f32(p, x.data(), scale.data(), shift.data(), out.data());
    EXPECT_LE(test::max_abs_diff(out, want), test::kTolerance);
    std::vector<float> in_place = x;
    channel_affine_f32(p, in_place.data(), scale.data(), shift.data(), in_place.data());
    EXPECT_EQ(in_place, out);
  }
}

}  // namespace
}  // namespace yono
