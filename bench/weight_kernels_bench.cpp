// Float vs int8-weight vs product-quantized kernels on MCU-sized layer shapes.
// Every variant of a layer computes the same layer: the float kernel gets the
// weights the compressed variant decodes to, so a ratio of times is the cost
// of executing from compressed weights. PQ variants name K (code width
// ceil(log2 K): 8 bits is byte-aligned, 12 bits the packed-pair path), D and,
// where it is not f32, the codebook dtype.
#include <benchmark/benchmark.h>
#include <float.h>

#include <cmath>
#include <random>
#include <vector>

#include "yono/bitpack.h"
#include "yono/half_float.h"
#include "yono/kernels.h"
#include "yono/pq.h"

namespace {

enum class Kind { kFloat, kInt8, kPq };

struct Variant {
  Kind kind;
  uint32_t k = 0, dim = 0;
  yono::CodebookDType dtype = yono::CodebookDType::kF32;
};

// One layer's weights in every storage, all decoding to `decoded`.
struct Weights {
  std::vector<float> decoded, scales, codebook_f32;
  std::vector<uint16_t> codebook_f16;
  std::vector<int8_t> codebook_i8, values_i8;
  std::vector<uint8_t> codes;
  yono::PqWeights pq{};
  yono::I8Weights i8{};
};

Weights make_weights(uint32_t rows, uint32_t row_len, const Variant& v) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  Weights w;
  w.scales.resize(rows);
  for (float& s : w.scales) s = 0.5f + 0.25f * uni(rng);
  w.decoded.resize(size_t{rows} * row_len);
  if (v.kind != Kind::kPq) {  // float gets int8-representable weights too; values do not matter
    w.values_i8.resize(w.decoded.size());
    for (size_t i = 0; i < w.decoded.size(); ++i) {
      w.values_i8[i] = static_cast<int8_t>(static_cast<int>(rng() % 255u) - 127);
      w.decoded[i] = w.scales[i / row_len] * static_cast<float>(w.values_i8[i]);
    }
    w.i8 = {w.values_i8.data(), w.scales.data()};
    return w;
  }
  const uint32_t bits = yono::code_bits_for(v.k);
  const size_t lanes = size_t{v.k} * v.dim;
  std::vector<float> lane_value(lanes);
  const void* codebook = nullptr;
  float codebook_scale = 0.0f;
  for (size_t i = 0; i < lanes; ++i) {
    if (v.dtype == yono::CodebookDType::kF16) {
      const uint16_t h = static_cast<uint16_t>((rng() & 0x83ffu) | ((10u + rng() % 5u) << 10));
      w.codebook_f16.push_back(h);
      lane_value[i] = yono::half_to_float(h);
    } else if (v.dtype == yono::CodebookDType::kI8) {
      codebook_scale = 1.0f / 127.0f;
      w.codebook_i8.push_back(static_cast<int8_t>(static_cast<int>(rng() % 255u) - 127));
      lane_value[i] = static_cast<float>(w.codebook_i8.back()) * codebook_scale;
    } else {
      w.codebook_f32.push_back(uni(rng));
      lane_value[i] = w.codebook_f32.back();
    }
  }
  if (v.dtype == yono::CodebookDType::kF16) codebook = w.codebook_f16.data();
  if (v.dtype == yono::CodebookDType::kI8) codebook = w.codebook_i8.data();
  if (v.dtype == yono::CodebookDType::kF32) codebook = w.codebook_f32.data();

  const uint32_t per_row = (row_len + v.dim - 1) / v.dim;
  std::vector<uint32_t> codes(size_t{rows} * per_row);
  for (auto& c : codes) c = rng() % v.k;
  w.codes.assign(yono::bitpack_bytes(bits, static_cast<uint32_t>(codes.size())), 0);
  for (size_t i = 0; i < codes.size(); ++i) {
    for (uint32_t b = 0; b < bits; ++b) {
      const size_t pos = i * bits + b;
      if ((codes[i] >> b) & 1u) w.codes[pos / 8] |= static_cast<uint8_t>(1u << (pos % 8));
    }
  }
  for (uint32_t o = 0; o < rows; ++o) {
    for (uint32_t j = 0; j < row_len; ++j) {
      w.decoded[size_t{o} * row_len + j] =
          w.scales[o] *
          lane_value[size_t{codes[size_t{o} * per_row + j / v.dim]} * v.dim + j % v.dim];
    }
  }
  w.pq = {codebook,       v.dtype, codebook_scale,  v.dim,  v.k,
          w.codes.data(), bits,    w.scales.data(), per_row};
  return w;
}

std::vector<float> random_vector(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = uni(rng);
  return v;
}

yono::ConvParams conv(uint32_t in_c, uint32_t in_h, uint32_t in_w, uint32_t out_c, uint32_t kh,
                      uint32_t kw, uint32_t groups) {
  yono::ConvParams p{};
  p.in_c = in_c, p.in_h = in_h, p.in_w = in_w, p.out_c = out_c, p.kh = kh, p.kw = kw;
  p.out_h = in_h, p.out_w = in_w;  // "same" padding, stride 1
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.pad_top = kh / 2, p.pad_left = kw / 2, p.groups = groups, p.has_bias = 1;
  p.act_min = -FLT_MAX, p.act_max = FLT_MAX;
  return p;
}

// What the layer itself stores: weights or codes plus per-channel scales.
double stored_bytes(const Weights& w, const Variant& v) {
  return static_cast<double>(v.kind == Kind::kFloat  ? w.decoded.size() * 4
                             : v.kind == Kind::kInt8 ? w.values_i8.size() + w.scales.size() * 4
                                                     : w.codes.size() + w.scales.size() * 4);
}

void run_conv(benchmark::State& state, const yono::ConvParams& p, const Variant& v) {
  const Weights w = make_weights(p.out_c, p.in_c / p.groups * p.kh * p.kw, v);
  const auto input = random_vector(size_t{p.in_c} * p.in_h * p.in_w, 2);
  const auto bias = random_vector(p.out_c, 3);
  std::vector<float> output(size_t{p.out_c} * p.out_h * p.out_w);
  std::vector<float> scratch(v.kind == Kind::kPq ? yono::conv_pq_scratch_floats(p, w.pq)
                                                 : yono::conv_i8w_scratch_floats(p));
  for (auto _ : state) {
    if (v.kind == Kind::kPq) {
      yono::conv_pq_f32(p, w.pq, input.data(), bias.data(), output.data(), scratch.data());
    } else if (v.kind == Kind::kInt8) {
      yono::conv_i8w_f32(p, w.i8, input.data(), bias.data(), output.data(), scratch.data());
    } else {
      yono::conv_f32(p, input.data(), w.decoded.data(), bias.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.counters["weight_bytes"] = stored_bytes(w, v);
}

void run_dense(benchmark::State& state, uint32_t in, uint32_t out, const Variant& v) {
  const yono::DenseParams p{in, out, 1, -FLT_MAX, FLT_MAX};
  const Weights w = make_weights(out, in, v);
  const auto input = random_vector(in, 2);
  const auto bias = random_vector(out, 3);
  std::vector<float> output(out);
  std::vector<float> scratch(v.kind == Kind::kPq ? yono::dense_pq_scratch_floats(p, w.pq)
                                                 : yono::dense_i8w_scratch_floats(p));
  for (auto _ : state) {
    if (v.kind == Kind::kPq) {
      yono::dense_pq_f32(p, w.pq, input.data(), bias.data(), output.data(), scratch.data());
    } else if (v.kind == Kind::kInt8) {
      yono::dense_i8w_f32(p, w.i8, input.data(), bias.data(), output.data(), scratch.data());
    } else {
      yono::dense_f32(p, input.data(), w.decoded.data(), bias.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.counters["weight_bytes"] = stored_bytes(w, v);
}

void BM_Conv3x3_32to32_16x16(benchmark::State& s, Variant v) {
  run_conv(s, conv(32, 16, 16, 32, 3, 3, 1), v);
}
void BM_Depthwise3x3_64ch_25x5(benchmark::State& s, Variant v) {
  run_conv(s, conv(64, 25, 5, 64, 3, 3, 64), v);
}
void BM_Pointwise1x1_64to64_25x5(benchmark::State& s, Variant v) {
  run_conv(s, conv(64, 25, 5, 64, 1, 1, 1), v);
}
void BM_Conv1d_3to16_k5_128(benchmark::State& s, Variant v) {
  run_conv(s, conv(3, 1, 128, 16, 1, 5, 1), v);
}
void BM_Dense_256to64(benchmark::State& s, Variant v) {
  run_dense(s, 256, 64, v);
}
void BM_Dense_1024to128(benchmark::State& s, Variant v) {
  run_dense(s, 1024, 128, v);
}

constexpr Variant kFloat{Kind::kFloat};
constexpr Variant kInt8{Kind::kInt8};
Variant pq(uint32_t k, uint32_t dim, yono::CodebookDType t = yono::CodebookDType::kF32) {
  return Variant{Kind::kPq, k, dim, t};
}

// D = 9 is one 3x3 kernel slice per code; D = 4 and 8 are the 1x1 / dense group's.
#define YONO_BENCH_VARIANTS(fn, big_dim)                       \
  BENCHMARK_CAPTURE(fn, float, kFloat);                        \
  BENCHMARK_CAPTURE(fn, int8, kInt8);                          \
  BENCHMARK_CAPTURE(fn, pq_k256_d4, pq(256, 4));               \
  BENCHMARK_CAPTURE(fn, pq_k256_d##big_dim, pq(256, big_dim)); \
  BENCHMARK_CAPTURE(fn, pq_k4096_d4, pq(4096, 4));             \
  BENCHMARK_CAPTURE(fn, pq_k4096_d##big_dim, pq(4096, big_dim))

YONO_BENCH_VARIANTS(BM_Conv3x3_32to32_16x16, 9);
YONO_BENCH_VARIANTS(BM_Depthwise3x3_64ch_25x5, 9);
YONO_BENCH_VARIANTS(BM_Pointwise1x1_64to64_25x5, 8);
YONO_BENCH_VARIANTS(BM_Conv1d_3to16_k5_128, 8);
YONO_BENCH_VARIANTS(BM_Dense_256to64, 8);
YONO_BENCH_VARIANTS(BM_Dense_1024to128, 8);
// Codebook dtypes cost most where every weight is decoded once: dense.
BENCHMARK_CAPTURE(BM_Dense_1024to128, pq_k4096_d4_f16, pq(4096, 4, yono::CodebookDType::kF16));
BENCHMARK_CAPTURE(BM_Dense_1024to128, pq_k4096_d4_i8, pq(4096, 4, yono::CodebookDType::kI8));
BENCHMARK_CAPTURE(BM_Conv3x3_32to32_16x16, pq_k4096_d9_f16, pq(4096, 9, yono::CodebookDType::kF16));

}  // namespace
