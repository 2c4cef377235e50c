// IR passes: folding into Conv/Dense, activation fusion, dead op removal.
#include "yono/compiler/ir/passes.h"

#include <gtest/gtest.h>

#include <cmath>

#include "yono/compiler/ir/ir.h"

namespace {

using namespace yono::ir;

struct Builder {
  Graph g;
  int act(const std::string& name, Dims dims) {
    Tensor t;
    t.name = name;
    t.dims = std::move(dims);
    return g.add_tensor(std::move(t));
  }
  int constant(const std::string& name, Dims dims, std::vector<float> data) {
    Tensor t;
    t.name = name;
    t.dims = std::move(dims);
    t.is_constant = true;
    t.data = std::move(data);
    return g.add_tensor(std::move(t));
  }
  int op(const std::string& name, Attrs attrs, std::vector<int> inputs, Dims out_dims) {
    int out = act(name + "_out", std::move(out_dims));
    g.ops.push_back(Op{name, std::move(attrs), std::move(inputs), {out}});
    return out;
  }
};

// y = W x + b for a Dense op in the graph, in double.
std::vector<double> dense_ref(const Graph& g, const Op& op, const std::vector<float>& x) {
  const Tensor& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  size_t out = static_cast<size_t>(w.dims[0]), in = static_cast<size_t>(w.dims[1]);
  std::vector<double> y(out, 0.0);
  for (size_t o = 0; o < out; ++o) {
    if (op.inputs.size() == 3) y[o] = g.tensors[static_cast<size_t>(op.inputs[2])].data[o];
    for (size_t i = 0; i < in; ++i) y[o] += double(w.data[o * in + i]) * x[i];
  }
  return y;
}

TEST(Passes, FoldBatchnormMatchesDenseThenAffine) {
  Builder b;
  int x = b.act("x", {1, 3});
  int w = b.constant("w", {2, 3}, {0.5f, -1.f, 2.f, 1.5f, 0.25f, -0.75f});
  int bias = b.constant("b", {2}, {0.1f, -0.2f});
  int d = b.op("fc", DenseAttrs{}, {x, w, bias}, {1, 2});
  int s = b.constant("s", {2}, {3.f, -0.5f});
  int t = b.constant("t", {2}, {1.f, 4.f});
  int y = b.op("bn", ChannelAffineAttrs{}, {d, s, t}, {1, 2});
  b.g.inputs = {x};
  b.g.outputs = {y};
  Graph original = b.g;

  yono::ir::fold_batchnorm(b.g);
  yono::ir::compact_tensors(b.g);
  ASSERT_EQ(b.g.ops.size(), 1u);
  EXPECT_EQ(b.g.tensors[static_cast<size_t>(b.g.ops[0].outputs[0])].name, "bn_out");
  EXPECT_NO_THROW(validate(b.g));

  std::vector<float> in = {0.3f, -1.2f, 2.5f};
  std::vector<double> ref = dense_ref(original, original.ops[0], in);
  std::vector<double> got = dense_ref(b.g, b.g.ops[0], in);
  for (size_t o = 0; o < 2; ++o)
    EXPECT_NEAR(got[o], ref[o] * original.tensors[s].data[o] + original.tensors[t].data[o], 1e-5);
}

TEST(Passes, FoldBatchnormLeavesSharedProducerAlone) {
  Builder b;
  int x = b.act("x", {1, 2});
  int w = b.constant("w", {2, 2}, {1, 2, 3, 4});
  int d = b.op("fc", DenseAttrs{}, {x, w}, {1, 2});
  int s = b.constant("s", {2}, {2, 2});
  int y = b.op("bn", ChannelAffineAttrs{}, {d, s, s}, {1, 2});
  int z = b.op("relu", UnaryAttrs{}, {d}, {1, 2});  // second reader of fc's output
  b.g.inputs = {x};
  b.g.outputs = {y, z};
  yono::ir::fold_batchnorm(b.g);
  EXPECT_EQ(b.g.ops.size(), 3u);
}

TEST(Passes, FuseActivationCombinesReluAndClipIntoOneClamp) {
  Builder b;
  int x = b.act("x", {1, 2, 3, 3});
  int y = b.act("y", {1, 2, 3, 3});
  int sum = b.op("add", BinaryAttrs{}, {x, y}, {1, 2, 3, 3});
  int r = b.op("relu", UnaryAttrs{UnaryKind::kRelu}, {sum}, {1, 2, 3, 3});
  int c = b.op("clip", UnaryAttrs{UnaryKind::kClip, -1.f, 6.f}, {r}, {1, 2, 3, 3});
  b.g.inputs = {x, y};
  b.g.outputs = {c};
  yono::ir::fuse_activation(b.g);
  ASSERT_EQ(b.g.ops.size(), 1u);
  const auto& act = std::get<BinaryAttrs>(b.g.ops[0].attrs).act;
  EXPECT_EQ(act.min, 0.f);
  EXPECT_EQ(act.max, 6.f);
  EXPECT_EQ(b.g.ops[0].outputs[0], c);
}

TEST(Passes, FuseActivationKeepsUnaryWhenProducerOutputIsNeeded) {
  Builder b;
  int x = b.act("x", {1, 4});
  int w = b.constant("w", {4, 4}, std::vector<float>(16, 1.f));
  int d = b.op("fc", DenseAttrs{}, {x, w}, {1, 4});
  int r = b.op("relu", UnaryAttrs{UnaryKind::kRelu}, {d}, {1, 4});
  b.g.inputs = {x};
  b.g.outputs = {r, d};  // the pre-activation value is a graph output
  yono::ir::fuse_activation(b.g);
  EXPECT_EQ(b.g.ops.size(), 2u);
  EXPECT_TRUE(std::get<DenseAttrs>(b.g.ops[0].attrs).act.is_identity());

  b.g.outputs = {r};
  int sig = b.op("sig", UnaryAttrs{UnaryKind::kSigmoid}, {r}, {1, 4});
  b.g.outputs = {sig};
  yono::ir::fuse_activation(b.g);  // relu fuses, sigmoid cannot
  ASSERT_EQ(b.g.ops.size(), 2u);
  EXPECT_EQ(std::get<DenseAttrs>(b.g.ops[0].attrs).act.min, 0.f);
}

TEST(Passes, FoldChannelConstantsFoldsConvBiasAddButNotConstantMinusX) {
  Builder b;
  int x = b.act("x", {1, 1, 2, 2});
  int w = b.constant("w", {2, 1, 1, 1}, {2.f, 3.f});
  int conv = b.op("conv", ConvAttrs{}, {x, w}, {1, 2, 2, 2});
  int k = b.constant("k", {2, 1, 1}, {10.f, 20.f});
  int sub = b.op("sub", BinaryAttrs{BinaryKind::kSub, {}}, {k, conv}, {1, 2, 2, 2});
  b.g.inputs = {x};
  b.g.outputs = {sub};
  yono::ir::fold_channel_constants(b.g);
  EXPECT_EQ(b.g.ops.size(), 2u);  // k - conv(x) cannot become a bias

  b.g.ops[1].inputs = {conv, k};  // conv(x) - k can
  yono::ir::fold_channel_constants(b.g);
  ASSERT_EQ(b.g.ops.size(), 1u);
  const Tensor& bias = b.g.tensors[static_cast<size_t>(b.g.ops[0].inputs[2])];
  EXPECT_EQ(bias.data, (std::vector<float>{-10.f, -20.f}));
  EXPECT_EQ(b.g.tensors[static_cast<size_t>(w)].data, (std::vector<float>{2.f, 3.f}));
}

TEST(Passes, DeadOpsAndOrphanTensorsAreRemoved) {
  Builder b;
  int x = b.act("x", {1, 4});
  b.constant("orphan", {1}, {1.f});
  int dead = b.op("dead", UnaryAttrs{UnaryKind::kTanh}, {x}, {1, 4});
  b.op("dead2", UnaryAttrs{UnaryKind::kTanh}, {dead}, {1, 4});
  int live = b.op("live", UnaryAttrs{UnaryKind::kSigmoid}, {x}, {1, 4});
  b.g.inputs = {x};
  b.g.outputs = {live};
  yono::ir::remove_dead_ops(b.g);
  yono::ir::compact_tensors(b.g);
  ASSERT_EQ(b.g.ops.size(), 1u);
  EXPECT_EQ(b.g.ops[0].name, "live");
  EXPECT_EQ(b.g.tensors.size(), 2u);
  EXPECT_EQ(b.g.tensors[static_cast<size_t>(b.g.outputs[0])].name, "live_out");
  EXPECT_EQ(b.g.tensors[static_cast<size_t>(b.g.inputs[0])].name, "x");
  EXPECT_NO_THROW(validate(b.g));
}

}  // namespace
