// Int8 per-channel weight kernels against conv_f32 / dense_f32 run on weights
// decoded here with a naive loop (scales[o] * int8). Covers every conv
// flavour the importer emits and dense; scratch is sized exactly as
// advertised so ASan catches an overrun.
#include <float.h>
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernel_test_util.h"
#include "yono/kernels.h"
#include "yono/pq.h"

namespace {

using yono::test::kNoMax;
using yono::test::kNoMin;
using yono::test::kTolerance;
using yono::test::random_tensor;

struct Layer {
  std::vector<int8_t> values;
  std::vector<float> scales, decoded;
  std::vector<uint16_t> scales_f16;
  yono::I8Weights w{};
};

// Scales stored as `scales` says; the checks below run every kernel shape
// with both formats.
Layer make_layer(uint32_t rows, uint32_t row_len, uint32_t seed, yono::ScaleDType scales) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> q(-127, 127);  // symmetric, as the compressor stores
  Layer l;
  l.values.resize(size_t{rows} * row_len);
  for (auto& v : l.values) v = static_cast<int8_t>(q(rng));
  l.scales = random_tensor(rows, seed + 1, 0.001f, 0.05f);
  const bool f16 = scales == yono::ScaleDType::kF16;
  if (f16) {
    for (float& s : l.scales) {
      l.scales_f16.push_back(yono::float_to_half(s));
      s = yono::half_to_float_portable(l.scales_f16.back());
    }
  }
  l.decoded.resize(l.values.size());
  for (uint32_t o = 0; o < rows; ++o) {
    for (uint32_t j = 0; j < row_len; ++j) {
      const size_t i = size_t{o} * row_len + j;
      l.decoded[i] = l.scales[o] * static_cast<float>(l.values[i]);
    }
  }
  l.w = {l.values.data(), f16 ? yono::ChannelValues(l.scales_f16.data(), true)
                              : yono::ChannelValues(l.scales.data())};
  return l;
}

std::vector<double> widen(const std::vector<float>& v) {
  return std::vector<double>(v.begin(), v.end());
}

yono::ConvParams conv(uint32_t in_c, uint32_t in_h, uint32_t in_w, uint32_t out_c, uint32_t kh,
                      uint32_t kw, uint32_t stride, uint32_t pad, uint32_t groups) {
  yono::ConvParams p{};
  p.in_c = in_c, p.in_h = in_h, p.in_w = in_w, p.out_c = out_c;
  p.kh = kh, p.kw = kw, p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = 1, p.groups = groups, p.has_bias = 1;
  p.pad_top = (kh > 1) ? pad : 0, p.pad_left = pad;
  p.out_h = (in_h + 2 * p.pad_top - kh) / stride + 1;
  p.out_w = (in_w + 2 * pad - kw) / stride + 1;
  p.act_min = kNoMin, p.act_max = kNoMax;
  return p;
}

void check_conv(const yono::ConvParams& p, uint32_t seed, yono::ScaleDType scales) {
  const uint32_t row_len = p.in_c / p.groups * p.kh * p.kw;
  const Layer l = make_layer(p.out_c, row_len, seed, scales);
  const auto input = random_tensor(size_t{p.in_c} * p.in_h * p.in_w, seed + 2);
  const auto bias = random_tensor(p.out_c, seed + 3, -0.5f, 0.5f);
  const size_t out_n = size_t{p.out_c} * p.out_h * p.out_w;
  std::vector<float> expected(out_n), actual(out_n, NAN);
  const float* b = (p.has_bias != 0u) ? bias.data() : nullptr;
  yono::conv_f32(p, input.data(), l.decoded.data(), b, expected.data());
  ASSERT_EQ(yono::conv_i8w_scratch_floats(p), row_len);
  std::vector<float> scratch(yono::conv_i8w_scratch_floats(p));
  yono::conv_i8w_f32(p, l.w, input.data(), b, actual.data(), scratch.data());
  EXPECT_LE(yono::test::max_abs_diff(actual, widen(expected)), kTolerance);
}

const yono::ScaleDType kScaleDTypes[] = {yono::ScaleDType::kF32, yono::ScaleDType::kF16};

void check_conv(const yono::ConvParams& p, uint32_t seed) {
  for (yono::ScaleDType scales : kScaleDTypes) check_conv(p, seed, scales);
}

TEST(I8wKernels, Conv1d) {
  check_conv(conv(3, 1, 40, 6, 1, 5, 1, 2, 1), 1);
}
TEST(I8wKernels, Conv1dStrided) {
  check_conv(conv(4, 1, 33, 5, 1, 3, 2, 1, 1), 2);
}
TEST(I8wKernels, Conv2d) {
  check_conv(conv(3, 9, 8, 5, 3, 3, 1, 1, 1), 3);
}
TEST(I8wKernels, Conv2dStridedNoPad) {
  check_conv(conv(4, 10, 7, 3, 3, 2, 2, 0, 1), 4);
}
TEST(I8wKernels, Depthwise) {
  check_conv(conv(6, 7, 5, 6, 3, 3, 1, 1, 6), 5);
}
TEST(I8wKernels, DepthwiseMultiplier) {
  check_conv(conv(3, 6, 6, 6, 3, 3, 2, 1, 3), 6);
}
TEST(I8wKernels, Grouped) {
  check_conv(conv(8, 6, 6, 4, 3, 3, 1, 1, 2), 7);
}
TEST(I8wKernels, Pointwise) {
  check_conv(conv(7, 4, 4, 5, 1, 1, 1, 0, 1), 8);
}

TEST(I8wKernels, ConvFusedActivationNoBias) {
  yono::ConvParams p = conv(3, 6, 6, 4, 3, 3, 1, 1, 1);
  p.has_bias = 0, p.act_min = 0.0f, p.act_max = 0.05f;
  check_conv(p, 9);
}

void check_dense(uint32_t in, uint32_t out, uint32_t has_bias, float lo, float hi,
                 yono::ScaleDType scales) {
  const yono::DenseParams p{in, out, has_bias, lo, hi};
  const Layer l = make_layer(out, in, in * 7 + out, scales);
  const auto input = random_tensor(in, in + 1);
  const auto bias = random_tensor(out, in + 2, -0.5f, 0.5f);
  std::vector<float> expected(out), actual(out, NAN);
  const float* b = (has_bias != 0u) ? bias.data() : nullptr;
  yono::dense_f32(p, input.data(), l.decoded.data(), b, expected.data());
  std::vector<float> scratch(yono::dense_i8w_scratch_floats(p));
  yono::dense_i8w_f32(p, l.w, input.data(), b, actual.data(), scratch.data());
  EXPECT_LE(yono::test::max_abs_diff(actual, widen(expected)), kTolerance);
}

void check_dense(uint32_t in, uint32_t out, uint32_t has_bias, float lo, float hi) {
  for (yono::ScaleDType scales : kScaleDTypes) check_dense(in, out, has_bias, lo, hi, scales);
}

TEST(I8wKernels, Dense) {
  check_dense(100, 12, 1, kNoMin, kNoMax);
}
TEST(I8wKernels, DenseLongRows) {
  check_dense(1031, 5, 1, kNoMin, kNoMax);
}
TEST(I8wKernels, DenseNoBiasFusedActivation) {
  check_dense(64, 16, 0, -0.02f, 0.02f);
}

}  // namespace
