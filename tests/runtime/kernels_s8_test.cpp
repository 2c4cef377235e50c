// Int8 kernels (integer execution) against computations written here from
// the definitions: requantization against exact 128-bit arithmetic, the
// conv/dense/pool/add kernels against naive int64 loops over the dequantized
// meaning, and every kernel against the float kernel on dequantized values
// to within the quantization step. Scratch is heap-allocated at exactly the
// advertised size so ASan catches an overrun.
#include "yono/kernels_s8.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "yono/bitpack.h"
#include "yono/kernels.h"
#include "yono/requant.h"

namespace yono {
namespace {

std::vector<int8_t> random_s8(std::mt19937& rng, size_t n, int lo = -128, int hi = 127) {
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<int8_t> v(n);
  for (int8_t& x : v) x = static_cast<int8_t>(dist(rng));
  return v;
}

// round(v) half away from zero for an exact rational num / 2^shift.
int64_t round_shift(__int128 num, int shift) {
  if (shift == 0) return static_cast<int64_t>(num);
  const __int128 half = __int128{1} << (shift - 1);
  const __int128 mag = num >= 0 ? num : -num;
  const __int128 q = (mag + half) >> shift;
  return static_cast<int64_t>(num >= 0 ? q : -q);
}

TEST(Requant, MatchesExactProductWithinOneRounding) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> acc_dist(-(1 << 24), 1 << 24);
  std::uniform_int_distribution<int32_t> mult_dist(1 << 30, std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> shift_dist(-31, 6);
  for (int i = 0; i < 20000; ++i) {
    const int32_t acc = acc_dist(rng);
    const RequantEntry r{mult_dist(rng), shift_dist(rng)};
    const int32_t got = requantize(acc, r);
    // acc * M * 2^(shift - 31), exactly, then rounded once.
    const __int128 num = static_cast<__int128>(acc) * r.multiplier;
    int64_t exact;
    if (31 - r.shift >= 0) {
      exact = round_shift(num, 31 - r.shift);
    } else {
      exact = static_cast<int64_t>(num << (r.shift - 31));
    }
    if (exact > INT32_MAX || exact < INT32_MIN) continue;  // saturates; covered below
    // TFLite's two roundings may differ from one exact rounding by 1.
    ASSERT_LE(std::llabs(int64_t{got} - exact), 1) << acc << " " << r.multiplier << " " << r.shift;
    if (r.shift >= 0) {
      ASSERT_EQ(got, exact);  // one rounding only
    }
  }
}

// The high multiply as TFLite writes it (a 64-bit division truncating toward
// zero) against the runtime's shift form, over every sign combination.
TEST(Requant, HighMultiplyMatchesTheDivisionForm) {
  std::mt19937 rng(31);
  std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = i < 8 ? (i % 2 ? -1 : 1) * (1 << (i * 4)) : any(rng);
    const int32_t b = any(rng);
    if (a == std::numeric_limits<int32_t>::min() && b == a) continue;
    const int64_t ab = int64_t{a} * b;
    const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
    ASSERT_EQ(rounding_doubling_high_mul(a, b),
              static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31)))
        << a << " * " << b;
  }
}

TEST(Requant, KnownValuesAndSaturation) {
  // TFLite's high multiply breaks ties toward +infinity, its shift away
  // from zero; the two roundings can together be one off the exact value.
  const RequantEntry half{1 << 30, 0};                       // x * 0.5
  EXPECT_EQ(requantize(3, half), 2);                         // 1.5 -> 2
  EXPECT_EQ(requantize(-3, half), -1);                       // -1.5 -> -1
  EXPECT_EQ(requantize(-7, half), -3);                       // -3.5 -> -3
  EXPECT_EQ(requantize(-8, RequantEntry{1 << 30, -2}), -1);  // -4 * 2^-3 = -1 exactly
  EXPECT_EQ(requantize(-6, RequantEntry{1 << 30, -2}), -1);  // -0.75 -> -1
  EXPECT_EQ(requantize(-4, RequantEntry{1 << 30, -2}), -1);  // -0.5 -> -1 (shift: away from zero)
  EXPECT_EQ(requantize(5, RequantEntry{1 << 30, -1}), 2);    // 2.5 -> 3, then 1.5 -> 2 (exact 1.25)
  EXPECT_EQ(requantize(7, RequantEntry{1 << 30, 2}), 14);    // 7 * 4 * 0.5
  // The left shift saturates before the multiply.
  EXPECT_EQ(requantize(1 << 30, RequantEntry{1 << 30, 30}), 1 << 30);
  EXPECT_EQ(requantize(std::numeric_limits<int32_t>::min(),
                       RequantEntry{std::numeric_limits<int32_t>::min(), 0}),
            std::numeric_limits<int32_t>::max());
  EXPECT_TRUE(valid_requant(RequantEntry{0, -31}));
  EXPECT_TRUE(valid_requant(RequantEntry{-(1 << 30), 0}));  // a negative row scale
  EXPECT_EQ(requantize(6, RequantEntry{-(1 << 30), 0}), -3);
  EXPECT_FALSE(valid_requant(RequantEntry{1, 31}));
  EXPECT_FALSE(valid_requant(RequantEntry{1, -32}));
}

TEST(Quantize, RoundsHalfAwayAndSaturates) {
  EXPECT_EQ(quantize_value(0.5f, 1.0f, 0), 1);
  EXPECT_EQ(quantize_value(-0.5f, 1.0f, 0), -1);
  EXPECT_EQ(quantize_value(0.49999997f, 1.0f, 0), 0);  // x + 0.5 would give 1
  EXPECT_EQ(quantize_value(2.5f, 1.0f, 3), 6);
  EXPECT_EQ(quantize_value(1e30f, 0.1f, 0), 127);
  EXPECT_EQ(quantize_value(-1e30f, 0.1f, 0), -128);
  EXPECT_EQ(quantize_value(std::numeric_limits<float>::infinity(), 1.0f, 0), 127);
  EXPECT_EQ(quantize_value(std::nanf(""), 1.0f, 5), -128);
  EXPECT_EQ(quantize_value(0.0f, 0.02f, -128), -128);
  EXPECT_FLOAT_EQ(dequantize_value(-100, 0.5f, -128), 14.0f);
  // Round trip of every int8 value.
  for (int q = -128; q <= 127; ++q) {
    const float x = dequantize_value(static_cast<int8_t>(q), 0.037f, 11);
    EXPECT_EQ(quantize_value(x, 0.037f, 11), q);
  }
}

// A naive int8 conv on int16 weights, written from the definition.
std::vector<int8_t> naive_conv(const ConvParams& p, const std::vector<int16_t>& w,
                               const std::vector<int8_t>& x, int32_t in_zp,
                               const std::vector<int32_t>& bias,
                               const std::vector<RequantEntry>& rq, int32_t out_zp) {
  std::vector<int8_t> y(size_t{p.out_c} * p.out_h * p.out_w);
  const uint32_t icg = p.in_c / p.groups, ocg = p.out_c / p.groups;
  for (uint32_t oc = 0; oc < p.out_c; ++oc)
    for (uint32_t oy = 0; oy < p.out_h; ++oy)
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        int64_t acc = bias[oc];
        for (uint32_t i = 0; i < icg; ++i)
          for (uint32_t ky = 0; ky < p.kh; ++ky)
            for (uint32_t kx = 0; kx < p.kw; ++kx) {
              const int64_t iy = int64_t{oy} * p.stride_h - p.pad_top + int64_t{ky} * p.dilation_h;
              const int64_t ix = int64_t{ox} * p.stride_w - p.pad_left + int64_t{kx} * p.dilation_w;
              if (iy < 0 || ix < 0 || iy >= p.in_h || ix >= p.in_w) continue;
              const uint32_t ic = oc / ocg * icg + i;
              acc += (int64_t{x[(size_t{ic} * p.in_h + iy) * p.in_w + ix]} - in_zp) *
                     w[((size_t{oc} * icg + i) * p.kh + ky) * p.kw + kx];
            }
        const int32_t r = requantize(static_cast<int32_t>(acc), rq[oc]);
        y[(size_t{oc} * p.out_h + oy) * p.out_w + ox] = clamp_i8(
            int64_t{r} + out_zp, static_cast<int32_t>(p.act_min), static_cast<int32_t>(p.act_max));
      }
  return y;
}

struct ConvCase {
  uint32_t in_c, out_c, groups, h, w, kh, kw, stride, dilation, pad;
};

ConvParams conv_params(const ConvCase& c) {
  ConvParams p{};
  p.in_c = c.in_c;
  p.out_c = c.out_c;
  p.groups = c.groups;
  p.in_h = c.h;
  p.in_w = c.w;
  p.kh = c.kh;
  p.kw = c.kw;
  p.stride_h = p.stride_w = c.stride;
  p.dilation_h = p.dilation_w = c.dilation;
  p.pad_top = p.pad_left = c.pad;
  p.out_h = (c.h + 2 * c.pad - (c.kh - 1) * c.dilation - 1) / c.stride + 1;
  p.out_w = (c.w + 2 * c.pad - (c.kw - 1) * c.dilation - 1) / c.stride + 1;
  p.has_bias = 1;
  p.act_min = -100;
  p.act_max = 120;
  return p;
}

std::vector<RequantEntry> random_requant(std::mt19937& rng, uint32_t n) {
  std::uniform_int_distribution<int32_t> mult(1 << 30, std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> shift(-12, -6);
  std::vector<RequantEntry> r(n);
  for (RequantEntry& e : r) e = RequantEntry{mult(rng), shift(rng)};
  return r;
}

// The fast convolutions against the reference, bit for bit, over shapes that
// clip windows on every side (padding, stride, dilation, groups, depthwise,
// 1-D) and channel blocks of every size the scratch allows, odd ones too.
TEST(ConvS8, FastMatchesReferenceBitForBit) {
  std::mt19937 rng(29);
  int cases = 0;
  for (uint32_t groups : {1u, 2u, 4u})
    for (uint32_t k : {1u, 3u, 5u})
      for (uint32_t stride : {1u, 2u})
        for (uint32_t dilation : {1u, 2u})
          for (uint32_t pad : {0u, 1u, 2u}) {
            const uint32_t h = groups == 1 ? 1 + rng() % 9 : 6;  // h = 1: a 1-D conv
            // groups 4: depthwise (one input channel per output channel).
            const ConvCase c{
                4, groups == 4 ? 4u : 6u, groups, h, 9, h == 1 ? 1 : k, k, stride, dilation, pad};
            const uint32_t extent_h = (c.kh - 1) * dilation + 1, extent_w = (k - 1) * dilation + 1;
            if (pad >= extent_w || (c.kh > 1 && pad >= extent_h)) continue;
            if (c.h + 2 * (c.kh > 1 ? pad : 0) < extent_h || c.w + 2 * pad < extent_w) continue;
            ConvParams p = conv_params(c);
            if (c.kh == 1) p.pad_top = 0, p.out_h = c.h;
            const uint32_t row = c.in_c / groups * c.kh * k;
            const std::vector<int8_t> w8 = random_s8(rng, size_t{c.out_c} * row);
            const std::vector<int8_t> x = random_s8(rng, size_t{c.in_c} * c.h * c.w);
            std::vector<int32_t> bias(c.out_c);
            for (int32_t& b : bias) b = std::uniform_int_distribution<int32_t>(-9000, 9000)(rng);
            const std::vector<RequantEntry> rq = random_requant(rng, c.out_c);
            S8Weights w{};
            w.values = w8.data();
            w.row_length = row;
            std::vector<int16_t> s2(s8_row_scratch_values(w));
            std::vector<int8_t> ref(size_t{p.out_c} * p.out_h * p.out_w);
            const S8Output o{rq.data(), 9, -128, 127};
            const int32_t zp = static_cast<int32_t>(rng() % 256) - 128;
            conv_s8_reference(p, w, x.data(), zp, bias.data(), o, ref.data(), s2.data());
            for (uint32_t block : {1u, 2u, 3u, 8u}) {
              const uint32_t values = conv_s8_scratch_values(p, w, block);
              std::vector<int16_t> s1(values);  // exactly: ASan sees an overrun
              std::vector<int8_t> fast(ref.size());
              conv_s8(p, w, x.data(), zp, bias.data(), o, fast.data(), s1.data(), values);
              ASSERT_EQ(fast, ref)
                  << "groups " << groups << " k " << k << " stride " << stride << " dilation "
                  << dilation << " pad " << pad << " h " << h << " block " << block;
            }
            ++cases;
          }
  EXPECT_GT(cases, 40);
}

TEST(ConvS8, Int8WeightsMatchNaiveLoop) {
  const ConvCase cases[] = {{3, 4, 1, 7, 6, 3, 3, 1, 1, 1},
                            {4, 4, 4, 8, 8, 3, 3, 2, 1, 1},
                            {6, 4, 2, 5, 9, 3, 2, 1, 2, 2},
                            {5, 3, 1, 1, 12, 1, 5, 2, 1, 2},
                            {8, 6, 1, 4, 4, 1, 1, 1, 1, 0}};
  std::mt19937 rng(3);
  for (const ConvCase& c : cases) {
    const ConvParams p = conv_params(c);
    const uint32_t row = c.in_c / c.groups * c.kh * c.kw;
    const std::vector<int8_t> w8 = random_s8(rng, size_t{c.out_c} * row);
    const std::vector<int8_t> x = random_s8(rng, size_t{c.in_c} * c.h * c.w);
    std::vector<int32_t> bias(c.out_c);
    for (int32_t& b : bias) b = std::uniform_int_distribution<int32_t>(-5000, 5000)(rng);
    const std::vector<RequantEntry> rq = random_requant(rng, c.out_c);
    S8Weights w{};
    w.values = w8.data();
    w.row_length = row;
    std::vector<int16_t> scratch(s8_row_scratch_values(w));
    std::vector<int8_t> y(size_t{p.out_c} * p.out_h * p.out_w);
    scratch.resize(conv_s8_scratch_values(p, w, 3));
    conv_s8(p, w, x.data(), 7, bias.data(), S8Output{rq.data(), -3, -100, 120}, y.data(),
            scratch.data(), static_cast<uint32_t>(scratch.size()));
    const std::vector<int16_t> w16(w8.begin(), w8.end());
    EXPECT_EQ(y, naive_conv(p, w16, x, 7, bias, rq, -3)) << c.in_c << "x" << c.h << "x" << c.w;
  }
}

// PQ weights with their storage and the rows they decode to (the naive
// loops' weights): K codewords of `dim` lanes, codes of `bits` bits.
struct PqRows {
  std::vector<int16_t> cb16;
  std::vector<int8_t> cb8;
  std::vector<uint8_t> packed;
  std::vector<int16_t> rows;  // rows x row_length
  S8Weights w{};
};

PqRows make_pq(std::mt19937& rng, uint32_t rows, uint32_t row, CodebookDType dtype, uint32_t dim,
               uint32_t bits) {
  const uint32_t k = 1u << bits;
  const uint32_t per_row = (row + dim - 1) / dim;
  PqRows r;
  r.cb16.resize(size_t{k} * dim);
  r.cb8.resize(size_t{k} * dim);
  for (size_t i = 0; i < r.cb16.size(); ++i) {
    r.cb16[i] = static_cast<int16_t>(std::uniform_int_distribution<int>(-2047, 2047)(rng));
    r.cb8[i] = static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
  }
  std::vector<uint16_t> codes(size_t{rows} * per_row);
  for (uint16_t& code : codes) code = static_cast<uint16_t>(rng() % k);
  r.packed.resize(bitpack_bytes(bits, static_cast<uint32_t>(codes.size())));
  for (size_t i = 0; i < codes.size(); ++i)  // LSB first
    for (uint32_t b = 0; b < bits; ++b)
      if ((codes[i] >> b) & 1u) r.packed[(i * bits + b) / 8] |= uint8_t(1u << ((i * bits + b) % 8));
  r.rows.resize(size_t{rows} * row);
  for (uint32_t o = 0; o < rows; ++o)
    for (uint32_t j = 0; j < row; ++j) {
      const size_t lane = size_t{codes[o * per_row + j / dim]} * dim + j % dim;
      r.rows[size_t{o} * row + j] = dtype == CodebookDType::kI16 ? r.cb16[lane] : r.cb8[lane];
    }
  r.w.row_length = row;
  r.w.pq.codebook = dtype == CodebookDType::kI16 ? static_cast<const void*>(r.cb16.data())
                                                 : static_cast<const void*>(r.cb8.data());
  r.w.pq.codebook_dtype = dtype;
  r.w.pq.codebook_scale = 1.0f;
  r.w.pq.dim = dim;
  r.w.pq.codeword_count = k;
  r.w.pq.codes = r.packed.data();
  r.w.pq.code_bits = bits;
  r.w.pq.subvectors_per_row = per_row;
  return r;
}

// PQ codes over an int16 codebook (and an int8 one) decode to the rows the
// naive loop multiplies by; rows that do not divide into whole codewords
// too; byte codes over an int16 codebook (copied as words) and other widths.
TEST(ConvS8, PqWeightsMatchNaiveLoop) {
  std::mt19937 rng(5);
  for (CodebookDType dtype : {CodebookDType::kI16, CodebookDType::kI8})
    for (uint32_t bits : {4u, 8u})
      for (uint32_t dim : {3u, 4u, 5u, 9u}) {
        const ConvCase c{5, 6, 1, 6, 7, 3, 3, 1, 1, 1};
        const ConvParams p = conv_params(c);
        const uint32_t row = c.in_c * c.kh * c.kw;  // 45: e.g. 12 codewords of 4, the last padded
        const PqRows pq = make_pq(rng, c.out_c, row, dtype, dim, bits);
        const std::vector<int8_t> x = random_s8(rng, size_t{c.in_c} * c.h * c.w);
        const std::vector<int32_t> bias(c.out_c, 100);
        const std::vector<RequantEntry> rq = random_requant(rng, c.out_c);
        ASSERT_EQ(s8_row_scratch_values(pq.w), (row + dim - 1) / dim * dim);
        std::vector<int8_t> y(size_t{p.out_c} * p.out_h * p.out_w);
        std::vector<int16_t> scratch(conv_s8_scratch_values(p, pq.w, 4));
        conv_s8(p, pq.w, x.data(), -20, bias.data(), S8Output{rq.data(), 4, -100, 120}, y.data(),
                scratch.data(), static_cast<uint32_t>(scratch.size()));
        EXPECT_EQ(y, naive_conv(p, pq.rows, x, -20, bias, rq, 4)) << bits << " bits, D " << dim;
      }
}

// The int8 conv computes the float conv of the dequantized tensors, to
// within the output's quantization step (plus the requantization's rounding).
TEST(ConvS8, ApproximatesFloatConvOfDequantizedValues) {
  std::mt19937 rng(11);
  const ConvCase c{4, 5, 1, 6, 6, 3, 3, 1, 1, 1};
  ConvParams p = conv_params(c);
  const uint32_t row = c.in_c * c.kh * c.kw;
  const float in_scale = 0.05f, out_scale = 0.2f;
  const int32_t in_zp = 10, out_zp = -5;
  const std::vector<int8_t> x = random_s8(rng, size_t{c.in_c} * c.h * c.w);
  const std::vector<int8_t> w8 = random_s8(rng, size_t{c.out_c} * row, -127, 127);
  std::vector<float> w_scale(c.out_c), xf(x.size()), wf(w8.size()), bf(c.out_c);
  std::vector<int32_t> bias(c.out_c);
  std::vector<RequantEntry> rq(c.out_c);
  for (uint32_t o = 0; o < c.out_c; ++o) {
    w_scale[o] = 0.001f * static_cast<float>(o + 1);
    bf[o] = 0.3f * static_cast<float>(o) - 0.5f;
    const double acc_scale = double{in_scale} * w_scale[o];
    bias[o] = static_cast<int32_t>(std::lround(bf[o] / acc_scale));
    bf[o] = static_cast<float>(bias[o] * acc_scale);  // what the int8 layer holds
    int exp = 0;
    const double m = std::frexp(acc_scale / out_scale, &exp);
    rq[o] = RequantEntry{static_cast<int32_t>(std::lround(m * (1ll << 31))), exp};
  }
  for (size_t i = 0; i < x.size(); ++i) xf[i] = dequantize_value(x[i], in_scale, in_zp);
  for (size_t i = 0; i < w8.size(); ++i) wf[i] = w8[i] * w_scale[i / row];
  S8Weights w{};
  w.values = w8.data();
  w.row_length = row;
  std::vector<int16_t> scratch(s8_row_scratch_values(w));
  std::vector<int8_t> y(size_t{p.out_c} * p.out_h * p.out_w);
  scratch.resize(conv_s8_scratch_values(p, w, 2));
  conv_s8(p, w, x.data(), in_zp, bias.data(), S8Output{rq.data(), out_zp, -128, 127}, y.data(),
          scratch.data(), static_cast<uint32_t>(scratch.size()));
  p.act_min = -FLT_MAX;
  p.act_max = FLT_MAX;
  std::vector<float> yf(y.size());
  conv_f32(p, xf.data(), wf.data(), ChannelValues(bf.data()), yf.data());
  int compared = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const float q = yf[i] / out_scale + out_zp;
    if (q < -128 || q > 127) continue;  // saturated
    EXPECT_LE(std::fabs(dequantize_value(y[i], out_scale, out_zp) - yf[i]),
              0.51f * out_scale + 1e-5f)
        << i;
    ++compared;
  }
  EXPECT_GT(compared, static_cast<int>(y.size() / 2));
}

TEST(DenseS8, MatchesNaiveLoop) {
  std::mt19937 rng(13);
  DenseParams p{};
  p.in_features = 37;
  p.out_features = 9;
  p.has_bias = 1;
  p.act_min = 0;
  p.act_max = 127;
  const std::vector<int8_t> w8 = random_s8(rng, size_t{p.in_features} * p.out_features);
  const std::vector<int8_t> x = random_s8(rng, p.in_features);
  std::vector<int32_t> bias(p.out_features, -321);
  const std::vector<RequantEntry> rq = random_requant(rng, p.out_features);
  S8Weights w{};
  w.values = w8.data();
  w.row_length = p.in_features;
  std::vector<int16_t> scratch(s8_row_scratch_values(w));
  std::vector<int8_t> y(p.out_features);
  dense_s8(p, w, x.data(), -128, bias.data(), S8Output{rq.data(), -128, -128, 127}, y.data(),
           scratch.data());
  for (uint32_t o = 0; o < p.out_features; ++o) {
    int64_t acc = bias[o];
    for (uint32_t i = 0; i < p.in_features; ++i)
      acc += (int64_t{x[i]} + 128) * w8[size_t{o} * p.in_features + i];
    const int32_t r = requantize(static_cast<int32_t>(acc), rq[o]);
    EXPECT_EQ(y[o], clamp_i8(int64_t{r} - 128, -128, 127)) << o;
  }
}

// Dense over PQ weights: byte codes over an int16 codebook stream codewords
// in place (every D, odd ones with a single last lane), others decode rows.
TEST(DenseS8, PqWeightsMatchNaiveLoop) {
  std::mt19937 rng(23);
  for (CodebookDType dtype : {CodebookDType::kI16, CodebookDType::kI8})
    for (uint32_t bits : {4u, 8u})
      for (uint32_t dim : {3u, 4u, 5u, 9u})
        for (uint32_t out : {1u, 6u, 7u}) {
          DenseParams p{};
          p.in_features = 37;
          p.out_features = out;
          p.has_bias = 1;
          p.act_min = -128;
          p.act_max = 127;
          const PqRows pq = make_pq(rng, out, p.in_features, dtype, dim, bits);
          const std::vector<int8_t> x = random_s8(rng, p.in_features);
          std::vector<int32_t> bias(out);
          for (int32_t& b : bias) b = std::uniform_int_distribution<int32_t>(-9000, 9000)(rng);
          const std::vector<RequantEntry> rq = random_requant(rng, out);
          std::vector<int16_t> scratch(s8_row_scratch_values(pq.w));  // exactly: ASan sees overruns
          std::vector<int8_t> y(out);
          dense_s8(p, pq.w, x.data(), 7, bias.data(), S8Output{rq.data(), -3, -128, 127}, y.data(),
                   scratch.data());
          for (uint32_t o = 0; o < out; ++o) {
            int64_t acc = bias[o];
            for (uint32_t i = 0; i < p.in_features; ++i)
              acc += (int64_t{x[i]} - 7) * pq.rows[size_t{o} * p.in_features + i];
            const int32_t r = requantize(static_cast<int32_t>(acc), rq[o]);
            EXPECT_EQ(y[o], clamp_i8(int64_t{r} - 3, -128, 127))
                << bits << " bits, D " << dim << ", row " << o;
          }
        }
}

TEST(PoolS8, MaxAndRoundedAverageMatchNaive) {
  std::mt19937 rng(17);
  for (uint32_t kind : {0u, 1u}) {
    for (uint32_t include_pad : {0u, 1u}) {
      PoolParams p{};
      p.kind = kind;
      p.c = 3;
      p.in_h = 7;
      p.in_w = 6;
      p.kh = p.kw = 3;
      p.stride_h = p.stride_w = 2;
      p.pad_top = p.pad_left = 1;
      p.out_h = 4;
      p.out_w = 3;
      p.count_include_pad = include_pad;
      const std::vector<int8_t> x = random_s8(rng, size_t{p.c} * p.in_h * p.in_w);
      std::vector<int8_t> y(size_t{p.c} * p.out_h * p.out_w);
      pool_s8(p, x.data(), y.data());
      std::vector<float> xf(x.begin(), x.end()), yf(y.size());
      pool_f32(p, xf.data(), yf.data());
      for (size_t i = 0; i < y.size(); ++i) {
        // The float kernel's mean of the same integers, rounded half away.
        const double v = yf[i];
        const double expect = kind == 0 ? v : (v >= 0 ? std::floor(v + 0.5) : std::ceil(v - 0.5));
        EXPECT_EQ(y[i], static_cast<int8_t>(expect)) << kind << include_pad << i;
      }
    }
  }
}

TEST(PoolS8, GlobalMaxAndAverage) {
  std::mt19937 rng(19);
  for (uint32_t kind : {0u, 1u}) {
    const GlobalPoolParams p{kind, 4, 10};
    const std::vector<int8_t> x = random_s8(rng, 40);
    std::vector<int8_t> y(4);
    global_pool_s8(p, x.data(), y.data());
    for (uint32_t c = 0; c < 4; ++c) {
      int best = -128, sum = 0;
      for (uint32_t i = 0; i < 10; ++i) {
        best = std::max(best, int{x[c * 10 + i]});
        sum += x[c * 10 + i];
      }
      const int mean = static_cast<int>(sum >= 0 ? (sum + 5) / 10 : (sum - 5) / 10);
      EXPECT_EQ(y[c], kind == 0 ? best : mean);
    }
  }
  // Past 2^23 values per channel the sum takes 64 bits; both sides of the
  // switch give the rounded mean.
  for (uint32_t spatial : {(1u << 23), (1u << 23) + 3u}) {
    std::vector<int8_t> big(spatial);
    for (uint32_t i = 0; i < spatial; ++i) big[i] = static_cast<int8_t>(i % 7 == 0 ? -128 : 127);
    int64_t sum = 0;
    for (int8_t v : big) sum += v;
    const int64_t mean = (sum + spatial / 2) / spatial;
    int8_t y = 0;
    global_pool_s8(GlobalPoolParams{1, 1, spatial}, big.data(), &y);
    EXPECT_EQ(y, mean) << spatial;
  }
  // Halves round away from zero.
  const int8_t halves[4] = {1, 2, -1, -2};
  int8_t out[2];
  global_pool_s8(GlobalPoolParams{1, 2, 2}, halves, out);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], -2);
}

TEST(ElementwiseS8, TableAndAdd) {
  std::mt19937 rng(23);
  std::vector<int8_t> table(256);
  for (int i = 0; i < 256; ++i) table[i] = static_cast<int8_t>(255 - i - 128);  // negation-ish
  const std::vector<int8_t> x = random_s8(rng, 50);
  std::vector<int8_t> y(50);
  unary_table_s8(50, table.data(), x.data(), y.data());
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ(y[i], static_cast<int8_t>(-1 - x[i]));

  // a (scale 0.1, zp 3) + b (scale 0.05, zp -7) -> out (scale 0.2, zp 1), TFLite's constants.
  const double sa = 0.1, sb = 0.05, so = 0.2;
  const int left = 20;
  const double twice_max = 2 * std::max(sa, sb);
  auto entry = [](double real) {
    int exp = 0;
    const double m = std::frexp(real, &exp);
    return RequantEntry{static_cast<int32_t>(std::lround(m * (1ll << 31))), exp};
  };
  const I8AddRequant r{left, entry(sa / twice_max), entry(sb / twice_max),
                       entry(twice_max / ((1 << left) * so))};
  const std::vector<int8_t> a = random_s8(rng, 200), b = random_s8(rng, 200);
  std::vector<int8_t> out(200);
  add_s8(200, a.data(), 3, b.data(), -7, r, 1, -128, 127, out.data());
  for (size_t i = 0; i < 200; ++i) {
    const double real = sa * (a[i] - 3) + sb * (b[i] + 7);
    const double q = std::clamp(real / so + 1, -128.0, 127.0);
    EXPECT_LE(std::fabs(out[i] - q), 0.5 + 1e-6) << i;
  }
}

TEST(ElementwiseS8, ConvertRoundTripsAndGatherMovesBytes) {
  const std::vector<float> x = {-1.0f, 0.0f, 0.26f, 3.0f, 100.0f};
  std::vector<int8_t> q(5);
  quantize_f32_s8(5, x.data(), 0.25f, 2, q.data());
  EXPECT_EQ(q, (std::vector<int8_t>{-2, 2, 3, 14, 127}));
  std::vector<float> back(5);
  dequantize_s8_f32(5, q.data(), 0.25f, 2, back.data());
  EXPECT_EQ(back, (std::vector<float>{-1.0f, 0.0f, 0.25f, 3.0f, 31.25f}));

  // A 2x3 transpose as a gather.
  AxisGatherParams p{};
  p.rank = 2;
  p.dims[0] = 3;
  p.dims[1] = 2;
  const uint32_t offsets[5] = {0, 1, 2, 0, 3};
  const int8_t in[6] = {1, 2, 3, 4, 5, 6};
  int8_t out[6];
  axis_gather_s8(p, offsets, in, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 6), (std::vector<int8_t>{1, 4, 2, 5, 3, 6}));
}

}  // namespace
}  // namespace yono
