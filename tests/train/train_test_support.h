// Helpers for the training tests: running an IR graph through the real
// runtime (write_pack + Session) and making seeded inputs and BN statistics.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "yono/compiler/data/dataset.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace yono::test {

// Runs every graph input = `input` (one input) and returns output `which`.
inline std::vector<float> run_runtime(const ir::Graph& g, const std::vector<float>& input,
                                      uint32_t which = 0) {
  const std::vector<uint8_t> bytes = write_pack({g});
  const AlignedBuffer pack_mem(bytes);
  Pack pack;
  EXPECT_EQ(Pack::open(pack_mem.data(), pack_mem.size(), &pack), Status::kOk);
  AlignedBuffer arena(pack.arena_size(0));
  Session s(pack, arena.data(), arena.size());
  EXPECT_EQ(s.select(0), Status::kOk);
  TensorView in = s.input(0);
  EXPECT_EQ(in.element_count, input.size());
  if (in.data == nullptr || in.element_count != input.size()) return {};
  std::copy(input.begin(), input.end(), in.data);
  EXPECT_EQ(s.invoke(), Status::kOk);
  TensorView out = s.output(which);
  if (out.data == nullptr) return {};
  return std::vector<float>(out.data, out.data + out.element_count);
}

inline std::vector<float> random_values(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Two classes of 1x8x8 images: bright left or right half, over noise.
inline data::Dataset halves_dataset(size_t n, uint32_t seed) {
  data::Dataset d;
  d.sample_dims = {1, 8, 8};
  d.class_names = {"left", "right"};
  const auto noise = random_values(n * 64, seed, -0.8f, 0.8f);
  for (size_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    d.labels.push_back(label);
    for (int p = 0; p < 64; ++p)
      d.samples.push_back(((p % 8 < 4) == (label == 0) ? 0.5f : 0.f) + noise[i * 64 + p]);
  }
  return d;
}

// Gives every ChannelAffine a non-trivial scale/shift, so tests do not pass
// just because a batch norm is still the identity.
inline void randomise_affines(ir::Graph& g, uint32_t seed) {
  for (const ir::Op& op : g.ops) {
    if (!std::holds_alternative<ir::ChannelAffineAttrs>(op.attrs)) continue;
    for (int k = 1; k <= 2; ++k) {
      ir::Tensor& t = g.tensors[static_cast<size_t>(op.inputs[static_cast<size_t>(k)])];
      t.data = random_values(t.data.size(), seed++, k == 1 ? 0.5f : -0.5f, k == 1 ? 1.5f : 0.5f);
    }
  }
}

inline void expect_close(const std::vector<float>& got, const std::vector<float>& want, double tol,
                         const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(static_cast<double>(want[i]))))
        << what << " [" << i << "]";
}

}  // namespace yono::test
