// f16 biases (DType::kF16, compress --bias-dtype f16): every Conv and Dense
// kernel reads its bias through ChannelValues, so a binary16 bias must give
// bit for bit what the same kernel gives for a float array holding the
// decoded halves. A kernel that read the halves as floats (or ignored the
// bias) would differ: the biases are chosen far from zero.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kernel_test_util.h"
#include "yono/half_float.h"
#include "yono/kernels.h"
#include "yono/pq.h"

namespace {

using yono::test::random_tensor;

struct HalfBias {
  std::vector<uint16_t> bits;
  std::vector<float> decoded;  // the same values as floats
};

HalfBias half_bias(size_t n, uint32_t seed) {
  HalfBias b;
  for (float v : random_tensor(n, seed, 0.5f, 4.0f)) {
    b.bits.push_back(yono::float_to_half(v));
    b.decoded.push_back(yono::half_to_float(b.bits.back()));
  }
  return b;
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// A small PQ layer: K = 8 codewords of dim `dim`, f32 codebook and scales.
struct PqLayer {
  std::vector<float> codebook, scales, decoded;
  std::vector<uint8_t> codes;  // 8-bit codes, one byte each
  yono::PqWeights w{};
};

PqLayer pq_layer(uint32_t rows, uint32_t row_len, uint32_t dim, uint32_t seed) {
  PqLayer l;
  const uint32_t k = 8, spr = (row_len + dim - 1) / dim;
  l.codebook = random_tensor(size_t{k} * dim, seed, -1.0f, 1.0f);
  l.scales = random_tensor(rows, seed + 1, 0.5f, 1.5f);
  for (uint32_t i = 0; i < rows * spr; ++i)
    l.codes.push_back(static_cast<uint8_t>((i * 5 + seed) % k));
  for (uint32_t r = 0; r < rows; ++r)
    for (uint32_t j = 0; j < row_len; ++j)
      l.decoded.push_back(l.scales[r] * l.codebook[l.codes[r * spr + j / dim] * dim + j % dim]);
  l.w.codebook = l.codebook.data();
  l.w.codebook_dtype = yono::CodebookDType::kF32;
  l.w.codebook_scale = 0.0f;
  l.w.dim = dim;
  l.w.codeword_count = k;
  l.w.codes = l.codes.data();
  l.w.code_bits = 8;
  l.w.scales = l.scales.data();
  l.w.subvectors_per_row = spr;
  return l;
}

yono::ConvParams conv_params() {
  yono::ConvParams p{};
  p.in_c = 3, p.in_h = 6, p.in_w = 5, p.out_c = 4, p.out_h = 6, p.out_w = 5;
  p.kh = p.kw = 3, p.stride_h = p.stride_w = 1, p.dilation_h = p.dilation_w = 1;
  p.pad_top = p.pad_left = 1, p.groups = 1, p.has_bias = 1;
  p.act_min = yono::test::kNoMin, p.act_max = yono::test::kNoMax;
  return p;
}

TEST(F16Bias, ConvKernelsReadHalvesAsTheirValues) {
  const yono::ConvParams p = conv_params();
  const uint32_t row = p.in_c * p.kh * p.kw;
  const auto input = random_tensor(size_t{p.in_c} * p.in_h * p.in_w, 11);
  const HalfBias bias = half_bias(p.out_c, 12);
  const yono::ChannelValues f16(bias.bits.data(), true);
  const size_t out_n = size_t{p.out_c} * p.out_h * p.out_w;

  PqLayer l = pq_layer(p.out_c, row, 9, 13);
  std::vector<float> want(out_n), got(out_n);
  yono::conv_f32(p, input.data(), l.decoded.data(), bias.decoded.data(), want.data());
  yono::conv_f32(p, input.data(), l.decoded.data(), f16, got.data());
  EXPECT_TRUE(bitwise_equal(want, got)) << "conv_f32";

  std::vector<float> scratch(yono::conv_pq_scratch_floats(p, l.w));
  yono::conv_pq_f32(p, l.w, input.data(), f16, got.data(), scratch.data());
  EXPECT_TRUE(bitwise_equal(want, got)) << "conv_pq_f32";

  // int8 weights: decoded = scale * value.
  std::vector<int8_t> values(size_t{p.out_c} * row);
  std::vector<float> scales = random_tensor(p.out_c, 14, 0.01f, 0.02f), i8_decoded;
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
    i8_decoded.push_back(scales[i / row] * static_cast<float>(values[i]));
  }
  yono::conv_f32(p, input.data(), i8_decoded.data(), bias.decoded.data(), want.data());
  std::vector<float> i8_scratch(yono::conv_i8w_scratch_floats(p));
  yono::conv_i8w_f32(p, {values.data(), scales.data()}, input.data(), f16, got.data(),
                     i8_scratch.data());
  EXPECT_TRUE(bitwise_equal(want, got)) << "conv_i8w_f32";
}

TEST(F16Bias, DenseKernelsReadHalvesAsTheirValues) {
  // dims 4 and 8 take dense_pq_f32's unrolled paths, 3 the generic one.
  for (uint32_t dim : {3u, 4u, 8u}) {
    const yono::DenseParams p{24, 5, 1, yono::test::kNoMin, yono::test::kNoMax};
    const auto input = random_tensor(p.in_features, 20 + dim);
    const HalfBias bias = half_bias(p.out_features, 21 + dim);
    const yono::ChannelValues f16(bias.bits.data(), true);
    PqLayer l = pq_layer(p.out_features, p.in_features, dim, 22 + dim);
    std::vector<float> want(p.out_features), got(p.out_features);
    yono::dense_f32(p, input.data(), l.decoded.data(), bias.decoded.data(), want.data());
    yono::dense_f32(p, input.data(), l.decoded.data(), f16, got.data());
    EXPECT_TRUE(bitwise_equal(want, got)) << "dense_f32, dim " << dim;
    std::vector<float> scratch(yono::dense_pq_scratch_floats(p, l.w) + 1);
    yono::dense_pq_f32(p, l.w, input.data(), f16, got.data(), scratch.data());
    EXPECT_TRUE(bitwise_equal(want, got)) << "dense_pq_f32, dim " << dim;
  }
  const yono::DenseParams p{16, 3, 1, yono::test::kNoMin, yono::test::kNoMax};
  const auto input = random_tensor(p.in_features, 30);
  const HalfBias bias = half_bias(p.out_features, 31);
  std::vector<int8_t> values(size_t{p.in_features} * p.out_features);
  std::vector<float> scales = random_tensor(p.out_features, 32, 0.01f, 0.02f), decoded;
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<int8_t>(static_cast<int>(i * 53 % 255) - 127);
    decoded.push_back(scales[i / p.in_features] * static_cast<float>(values[i]));
  }
  std::vector<float> want(p.out_features), got(p.out_features);
  yono::dense_f32(p, input.data(), decoded.data(), bias.decoded.data(), want.data());
  yono::dense_i8w_f32(p, {values.data(), scales.data()}, input.data(),
                      yono::ChannelValues(bias.bits.data(), true), got.data(), nullptr);
  EXPECT_TRUE(bitwise_equal(want, got)) << "dense_i8w_f32";
}

}  // namespace
