// Float vs product-quantized kernels on MCU-sized layer shapes. PQ layers use
// sub-vectors of D = 4 with K = 256 codewords (8-bit codes, the byte-aligned
// fast path) or K = 4096 (12-bit codes, the general bit-stream path); the
// float kernel gets the decoded weights, so both compute the same numbers.
#include <benchmark/benchmark.h>
#include <float.h>

#include <random>
#include <vector>

#include "yono/bitpack.h"
#include "yono/kernels.h"
#include "yono/pq.h"

namespace {

constexpr uint32_t kDim = 4;

struct PqLayer {
  std::vector<float> codebook, scales, decoded;
  std::vector<uint8_t> codes;
  yono::PqWeights w{};
};

PqLayer make_layer(uint32_t rows, uint32_t row_len, uint32_t k) {
  uint32_t bits = 1;
  while ((1u << bits) < k) ++bits;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  PqLayer l;
  const uint32_t per_row = (row_len + kDim - 1) / kDim;
  l.codebook.resize(size_t{k} * kDim);
  for (float& v : l.codebook) v = uni(rng);
  l.scales.resize(rows);
  for (float& v : l.scales) v = 0.5f + 0.5f * uni(rng);
  std::vector<uint32_t> codes(size_t{rows} * per_row);
  for (auto& c : codes) c = rng() % k;
  l.codes.assign(yono::bitpack_bytes(bits, static_cast<uint32_t>(codes.size())), 0);
  for (size_t i = 0; i < codes.size(); ++i) {
    for (uint32_t b = 0; b < bits; ++b) {
      const size_t pos = i * bits + b;
      if ((codes[i] >> b) & 1u) l.codes[pos / 8] |= static_cast<uint8_t>(1u << (pos % 8));
    }
  }
  l.decoded.resize(size_t{rows} * row_len);
  for (uint32_t o = 0; o < rows; ++o) {
    for (uint32_t j = 0; j < row_len; ++j) {
      l.decoded[size_t{o} * row_len + j] =
          l.scales[o] * l.codebook[codes[size_t{o} * per_row + j / kDim] * kDim + j % kDim];
    }
  }
  l.w = {l.codebook.data(), yono::CodebookDType::kF32, 0.f, kDim, k, l.codes.data(), bits, l.scales.data(), per_row};
  return l;
}

std::vector<float> random_vector(size_t n) {
  std::mt19937 rng(2);
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

// k == 0 runs the float kernel.
void run_conv(benchmark::State& state, const yono::ConvParams& p, uint32_t k) {
  const bool pq = k != 0;
  const PqLayer l = make_layer(p.out_c, p.in_c / p.groups * p.kh * p.kw, pq ? k : 256);
  const auto input = random_vector(size_t{p.in_c} * p.in_h * p.in_w);
  const auto bias = random_vector(p.out_c);
  std::vector<float> output(size_t{p.out_c} * p.out_h * p.out_w);
  std::vector<float> scratch(yono::conv_pq_scratch_floats(p, l.w));
  for (auto _ : state) {
    if (pq) {
      yono::conv_pq_f32(p, l.w, input.data(), bias.data(), output.data(), scratch.data());
    } else {
      yono::conv_f32(p, input.data(), l.decoded.data(), bias.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
}

void run_dense(benchmark::State& state, uint32_t in, uint32_t out, uint32_t k) {
  const bool pq = k != 0;
  const yono::DenseParams p{in, out, 1, -FLT_MAX, FLT_MAX};
  const PqLayer l = make_layer(out, in, pq ? k : 256);
  const auto input = random_vector(in);
  const auto bias = random_vector(out);
  std::vector<float> output(out);
  for (auto _ : state) {
    if (pq) {
      yono::dense_pq_f32(p, l.w, input.data(), bias.data(), output.data(), nullptr);
    } else {
      yono::dense_f32(p, input.data(), l.decoded.data(), bias.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
}

void BM_Conv3x3_32to32_16x16(benchmark::State& s, uint32_t k) {
  run_conv(s, conv(32, 16, 16, 32, 3, 3, 1), k);
}
void BM_Depthwise3x3_64ch_25x5(benchmark::State& s, uint32_t k) {
  run_conv(s, conv(64, 25, 5, 64, 3, 3, 64), k);
}
void BM_Conv1d_3to16_k5_128(benchmark::State& s, uint32_t k) {
  run_conv(s, conv(3, 1, 128, 16, 1, 5, 1), k);
}
void BM_Dense_256to64(benchmark::State& s, uint32_t k) {
  run_dense(s, 256, 64, k);
}

#define YONO_PQ_BENCH(fn)               \
  BENCHMARK_CAPTURE(fn, float, 0u);     \
  BENCHMARK_CAPTURE(fn, pq_k256, 256u); \
  BENCHMARK_CAPTURE(fn, pq_k4096, 4096u)

YONO_PQ_BENCH(BM_Conv3x3_32to32_16x16);
YONO_PQ_BENCH(BM_Depthwise3x3_64ch_25x5);
YONO_PQ_BENCH(BM_Conv1d_3to16_k5_128);
YONO_PQ_BENCH(BM_Dense_256to64);

}  // namespace
