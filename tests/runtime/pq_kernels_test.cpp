// Product-quantized kernels against the float kernels run on weights decoded
// here with a naive loop: every conv flavour and dense, across codebook
// dtypes (f32, f16, i8), codebook sizes and sub-vector lengths (including
// rows that do not divide into whole sub-vectors). Scratch and code buffers
// are heap-allocated at exactly the advertised size so ASan catches any
// overrun. Half-float decoding and the kernels' private fast code unpacking
// are also checked directly against plain versions.
#include <float.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "yono/bitpack.h"
#include "yono/half_float.h"
#include "yono/kernels.h"
#include "yono/pq.h"
// Private to the runtime, included by path to test it exhaustively.
#include "../../runtime/src/kernels/pq_decode.h"

namespace {

constexpr double kTolerance = 1e-5;

std::vector<float> uniform(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Plain IEEE binary16 decoding, written independently of the runtime's
// branch-free one so each checks the other.
float reference_half(uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double v;
  if (exponent == 0) {
    v = std::ldexp(static_cast<double>(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    v = (mantissa == 0) ? INFINITY : NAN;
  } else {
    v = std::ldexp(static_cast<double>(1024 + mantissa), exponent - 25);
  }
  return static_cast<float>((h & 0x8000) ? -v : v);
}

// A random PQ layer with a codebook of `dtype`, plus its naively decoded
// float weights: scale[o] * codeword value, the value as pq.h defines it.
// f16 codebooks come with f16 scales (ScaleDType::kF16), the others with
// f32 scales, so every kernel shape runs both scale formats.
struct Layer {
  std::vector<float> codebook_f32, scales, decoded;
  std::vector<uint16_t> codebook_f16, scales_f16;
  std::vector<int8_t> codebook_i8;
  std::vector<int16_t> codebook_i16;
  std::vector<uint8_t> packed;
  yono::PqWeights pq{};
};

Layer make_layer(std::mt19937& rng, uint32_t rows, uint32_t row_len, uint32_t k, uint32_t dim,
                 yono::CodebookDType dtype = yono::CodebookDType::kF32) {
  Layer l;
  const uint32_t per_row = (row_len + dim - 1) / dim;
  const uint32_t bits = yono::code_bits_for(k);
  const size_t lanes = size_t{k} * dim;
  std::vector<float> values(lanes);  // what each codebook lane decodes to
  const void* codebook = nullptr;
  float codebook_scale = 0.0f;
  if (dtype == yono::CodebookDType::kF32) {
    l.codebook_f32 = uniform(rng, lanes, -1.0f, 1.0f);
    values = l.codebook_f32;
    codebook = l.codebook_f32.data();
  } else if (dtype == yono::CodebookDType::kF16) {
    // Random sign, exponents 2^-14 .. 2^0 and subnormals, random mantissa.
    std::uniform_int_distribution<uint32_t> half_dist(0, 0x3fff);
    for (size_t i = 0; i < lanes; ++i) {
      const uint16_t h = static_cast<uint16_t>(half_dist(rng) | ((rng() & 1u) << 15));
      l.codebook_f16.push_back(h);
      values[i] = reference_half(h);
    }
    codebook = l.codebook_f16.data();
  } else if (dtype == yono::CodebookDType::kI16) {
    std::uniform_int_distribution<int> i16_dist(-32768, 32767);
    codebook_scale = 1.0f / 30011.0f;
    for (size_t i = 0; i < lanes; ++i) {
      l.codebook_i16.push_back(static_cast<int16_t>(i16_dist(rng)));
      values[i] = static_cast<float>(l.codebook_i16[i]) * codebook_scale;
    }
    codebook = l.codebook_i16.data();
  } else {
    std::uniform_int_distribution<int> i8_dist(-128, 127);
    codebook_scale = 1.0f / 117.0f;
    for (size_t i = 0; i < lanes; ++i) {
      l.codebook_i8.push_back(static_cast<int8_t>(i8_dist(rng)));
      values[i] = static_cast<float>(l.codebook_i8[i]) * codebook_scale;
    }
    codebook = l.codebook_i8.data();
  }
  l.scales = uniform(rng, rows, 0.25f, 2.0f);
  yono::ChannelValues scales(l.scales.data());
  if (dtype == yono::CodebookDType::kF16) {
    for (float& s : l.scales) {
      l.scales_f16.push_back(yono::float_to_half(s));
      s = reference_half(l.scales_f16.back());
    }
    scales = yono::ChannelValues(l.scales_f16.data(), true);
  }
  std::uniform_int_distribution<uint32_t> code_dist(0, k - 1);
  std::vector<uint32_t> codes(size_t{rows} * per_row);
  for (auto& c : codes) c = code_dist(rng);

  l.packed.assign(yono::bitpack_bytes(bits, static_cast<uint32_t>(codes.size())), 0);
  for (size_t i = 0; i < codes.size(); ++i) {
    for (uint32_t b = 0; b < bits; ++b) {
      const size_t pos = i * bits + b;
      if ((codes[i] >> b) & 1u) l.packed[pos / 8] |= static_cast<uint8_t>(1u << (pos % 8));
    }
  }
  l.decoded.resize(size_t{rows} * row_len);
  for (uint32_t o = 0; o < rows; ++o) {
    for (uint32_t j = 0; j < row_len; ++j) {
      const uint32_t code = codes[size_t{o} * per_row + j / dim];
      l.decoded[size_t{o} * row_len + j] = l.scales[o] * values[size_t{code} * dim + j % dim];
    }
  }
  l.pq = {codebook, dtype, codebook_scale, dim, k, l.packed.data(), bits, scales, per_row};
  return l;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(static_cast<double>(a[i]) - static_cast<double>(b[i]));
    if (!(d <= worst)) worst = d;  // NaN makes this infinite-ish and fails
  }
  return worst;
}

yono::ConvParams conv(uint32_t in_c, uint32_t in_h, uint32_t in_w, uint32_t out_c, uint32_t kh,
                      uint32_t kw, uint32_t stride, uint32_t dilation, uint32_t pad,
                      uint32_t groups) {
  yono::ConvParams p{};
  p.in_c = in_c, p.in_h = in_h, p.in_w = in_w, p.out_c = out_c;
  p.kh = kh, p.kw = kw, p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = dilation, p.groups = groups, p.has_bias = 1;
  p.pad_top = (kh > 1) ? pad : 0, p.pad_left = pad;
  p.out_h = (in_h + 2 * p.pad_top - dilation * (kh - 1) - 1) / stride + 1;
  p.out_w = (in_w + 2 * pad - dilation * (kw - 1) - 1) / stride + 1;
  p.act_min = -FLT_MAX, p.act_max = FLT_MAX;
  return p;
}

const uint32_t kCodebookSizes[] = {16, 256, 1024, 4096};
const uint32_t kDims[] = {1, 2, 4, 8, 9, 16};
const yono::CodebookDType kDTypes[] = {yono::CodebookDType::kF32, yono::CodebookDType::kF16,
                                       yono::CodebookDType::kI8, yono::CodebookDType::kI16};

const char* dtype_name(yono::CodebookDType t) {
  switch (t) {
    case yono::CodebookDType::kF32: return "f32";
    case yono::CodebookDType::kF16: return "f16";
    case yono::CodebookDType::kI8: return "i8";
    case yono::CodebookDType::kI16: return "i16";
  }
  return "?";
}

void check_conv(const yono::ConvParams& p, uint32_t seed) {
  const uint32_t row_len = p.in_c / p.groups * p.kh * p.kw;
  for (yono::CodebookDType dtype : kDTypes) {
    for (uint32_t k : kCodebookSizes) {
      for (uint32_t dim : kDims) {
        std::mt19937 rng(seed * 7919u + k * 31u + dim);
        Layer l = make_layer(rng, p.out_c, row_len, k, dim, dtype);
        const auto input = uniform(rng, size_t{p.in_c} * p.in_h * p.in_w, -1.0f, 1.0f);
        const auto bias = uniform(rng, p.out_c, -0.5f, 0.5f);
        const size_t out_n = size_t{p.out_c} * p.out_h * p.out_w;
        std::vector<float> expected(out_n), actual(out_n, NAN);
        yono::conv_f32(p, input.data(), l.decoded.data(), bias.data(), expected.data());
        std::vector<float> scratch(yono::conv_pq_scratch_floats(p, l.pq));
        yono::conv_pq_f32(p, l.pq, input.data(), bias.data(), actual.data(), scratch.data());
        ASSERT_LE(max_abs_diff(actual, expected), kTolerance)
            << dtype_name(dtype) << " K " << k << " D " << dim;
      }
    }
  }
}

TEST(PqKernels, Conv1d) {
  check_conv(conv(3, 1, 40, 6, 1, 5, 1, 1, 2, 1), 1);
}

TEST(PqKernels, Conv1dStridedDilated) {
  check_conv(conv(4, 1, 33, 5, 1, 3, 2, 2, 1, 1), 2);
}

TEST(PqKernels, Conv2d) {
  check_conv(conv(3, 9, 8, 5, 3, 3, 1, 1, 1, 1), 3);
}

TEST(PqKernels, Conv2dStridedNoPad) {
  check_conv(conv(4, 10, 7, 3, 3, 2, 2, 1, 0, 1), 4);
}

TEST(PqKernels, Depthwise) {
  check_conv(conv(6, 7, 5, 6, 3, 3, 1, 1, 1, 6), 5);
}

TEST(PqKernels, DepthwiseMultiplier) {
  check_conv(conv(3, 6, 6, 6, 3, 3, 2, 1, 1, 3), 6);
}

TEST(PqKernels, Grouped) {
  check_conv(conv(8, 6, 6, 4, 3, 3, 1, 1, 1, 2), 7);
}

TEST(PqKernels, Pointwise) {
  check_conv(conv(7, 4, 4, 5, 1, 1, 1, 1, 0, 1), 8);
}

TEST(PqKernels, ConvFusedActivationAndNoBias) {
  yono::ConvParams p = conv(3, 6, 6, 4, 3, 3, 1, 1, 1, 1);
  p.has_bias = 0;
  p.act_min = 0.0f, p.act_max = 0.5f;
  std::mt19937 rng(9);
  Layer l = make_layer(rng, p.out_c, 27, 256, 4);
  const auto input = uniform(rng, 3 * 36, -1.0f, 1.0f);
  std::vector<float> expected(4 * 36), actual(4 * 36);
  yono::conv_f32(p, input.data(), l.decoded.data(), nullptr, expected.data());
  std::vector<float> scratch(yono::conv_pq_scratch_floats(p, l.pq));
  yono::conv_pq_f32(p, l.pq, input.data(), nullptr, actual.data(), scratch.data());
  EXPECT_LE(max_abs_diff(actual, expected), kTolerance);
}

void check_dense(uint32_t in, uint32_t out, uint32_t has_bias, float lo, float hi) {
  yono::DenseParams p{in, out, has_bias, lo, hi};
  for (yono::CodebookDType dtype : kDTypes) {
    for (uint32_t k : kCodebookSizes) {
      for (uint32_t dim : kDims) {
        std::mt19937 rng(in * 131u + k * 31u + dim);
        Layer l = make_layer(rng, out, in, k, dim, dtype);
        const auto input = uniform(rng, in, -1.0f, 1.0f);
        const auto bias = uniform(rng, out, -0.5f, 0.5f);
        std::vector<float> expected(out), actual(out, NAN);
        const float* b = has_bias ? bias.data() : nullptr;
        yono::dense_f32(p, input.data(), l.decoded.data(), b, expected.data());
        std::vector<float> scratch(yono::dense_pq_scratch_floats(p, l.pq));
        yono::dense_pq_f32(p, l.pq, input.data(), b, actual.data(), scratch.data());
        ASSERT_LE(max_abs_diff(actual, expected), kTolerance)
            << dtype_name(dtype) << " K " << k << " D " << dim;
      }
    }
  }
}

TEST(PqKernels, Dense) {
  check_dense(100, 12, 1, -FLT_MAX, FLT_MAX);
}

TEST(PqKernels, DenseLongRowsManyCodeBatches) {
  check_dense(577, 5, 1, -FLT_MAX, FLT_MAX);
}

TEST(PqKernels, DenseShorterThanOneSubvector) {
  check_dense(3, 4, 0, -FLT_MAX, FLT_MAX);
}

TEST(PqKernels, DenseFusedActivation) {
  check_dense(64, 16, 1, -0.3f, 0.3f);
}

TEST(PqKernels, DenseSixteenBitCodes) {
  yono::DenseParams p{37, 6, 1, -FLT_MAX, FLT_MAX};
  for (yono::CodebookDType dtype : kDTypes) {
    std::mt19937 rng(65536);
    Layer l = make_layer(rng, p.out_features, p.in_features, 65536, 2, dtype);
    const auto input = uniform(rng, p.in_features, -1.0f, 1.0f);
    const auto bias = uniform(rng, p.out_features, -0.5f, 0.5f);
    std::vector<float> expected(p.out_features), actual(p.out_features, NAN);
    yono::dense_f32(p, input.data(), l.decoded.data(), bias.data(), expected.data());
    std::vector<float> scratch(yono::dense_pq_scratch_floats(p, l.pq));
    yono::dense_pq_f32(p, l.pq, input.data(), bias.data(), actual.data(), scratch.data());
    EXPECT_LE(max_abs_diff(actual, expected), kTolerance) << dtype_name(dtype);
  }
}

TEST(HalfFloat, AllBitPatternsMatchPlainDecoding) {
  for (uint32_t h = 0; h <= 0xffffu; ++h) {
    const float actual = yono::half_to_float(static_cast<uint16_t>(h));
    const float expected = reference_half(static_cast<uint16_t>(h));
    uint32_t actual_bits, expected_bits;
    std::memcpy(&actual_bits, &actual, 4);
    std::memcpy(&expected_bits, &expected, 4);
    if (std::isnan(expected)) {
      // Any NaN would do for weights, but sign and payload are kept too.
      ASSERT_TRUE(std::isnan(actual)) << std::hex << h;
      ASSERT_EQ(actual_bits, ((h & 0x8000u) << 16) | 0x7f800000u | ((h & 0x3ffu) << 13))
          << std::hex << h;
    } else {
      ASSERT_EQ(actual_bits, expected_bits) << std::hex << h;  // also tells -0 from +0
    }
  }
}

TEST(PqDecode, UnpackCodesMatchesBitpackGet) {
  std::mt19937 rng(12);
  for (uint32_t bits = 1; bits <= 16; ++bits) {
    for (int trial = 0; trial < 40; ++trial) {
      const uint32_t total = 1 + rng() % 200;
      const uint32_t first = rng() % total;
      const uint32_t count = rng() % (total - first + 1);
      // Exactly sized, so reading a byte past the last code trips ASan.
      std::vector<uint8_t> data(yono::bitpack_bytes(bits, first + count));
      for (auto& b : data) b = static_cast<uint8_t>(rng());
      std::vector<uint16_t> out(count + 1, 0xabcd);
      yono::kernels::unpack_codes(data.data(), bits, first, count, out.data());
      for (uint32_t i = 0; i < count; ++i) {
        uint32_t expected = 0;  // bit by bit, LSB-first
        for (uint32_t b = 0; b < bits; ++b) {
          const size_t pos = size_t{first + i} * bits + b;
          expected |= static_cast<uint32_t>((data[pos / 8] >> (pos % 8)) & 1u) << b;
        }
        ASSERT_EQ(out[i], expected) << "bits " << bits << " first " << first << " i " << i;
      }
      ASSERT_EQ(out[count], 0xabcd) << "wrote past count";
    }
  }
}

}  // namespace
