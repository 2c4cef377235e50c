// ir::infer_shapes per op kind, and ir::validate's structural checks.
#include <gtest/gtest.h>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/ir.h"

namespace {

using namespace yono::ir;

int activation(Graph& g, const std::string& name, Dims dims) {
  Tensor t;
  t.name = name;
  t.dims = std::move(dims);
  return g.add_tensor(std::move(t));
}

int constant(Graph& g, const std::string& name, Dims dims) {
  Tensor t;
  t.name = name;
  t.dims = dims;
  t.is_constant = true;
  t.data.assign(static_cast<size_t>(element_count(dims)), 0.5f);
  return g.add_tensor(std::move(t));
}

// Graph with input x and one op; returns the op's output dims.
Dims infer_one(const Dims& x_dims, Attrs attrs, const std::vector<Dims>& const_inputs = {},
               const std::vector<Dims>& extra_activations = {}) {
  Graph g;
  g.name = "t";
  int x = activation(g, "x", x_dims);
  g.inputs = {x};
  Op op;
  op.name = "op";
  op.attrs = std::move(attrs);
  op.inputs = {x};
  for (size_t i = 0; i < extra_activations.size(); ++i) {
    int a = activation(g, "a" + std::to_string(i), extra_activations[i]);
    g.inputs.push_back(a);
    op.inputs.push_back(a);
  }
  for (size_t i = 0; i < const_inputs.size(); ++i)
    op.inputs.push_back(constant(g, "c" + std::to_string(i), const_inputs[i]));
  int y = activation(g, "y", {});
  op.outputs = {y};
  g.ops.push_back(op);
  g.outputs = {y};
  infer_shapes(g);
  validate(g);
  return g.tensors[static_cast<size_t>(y)].dims;
}

TEST(ShapeInference, Conv2dWithStridePaddingDilationAndGroups) {
  ConvAttrs a;
  a.kh = 3;
  a.kw = 3;
  a.stride_h = 2;
  a.stride_w = 1;
  a.dilation_w = 2;
  a.pad_top = a.pad_bottom = 1;
  a.groups = 2;
  // H: (9 + 2 - 3) / 2 + 1 = 5; W: (8 - 2*2 - 1) / 1 + 1 = 4
  EXPECT_EQ(infer_one({1, 4, 9, 8}, a, {{6, 2, 3, 3}, {6}}), (Dims{1, 6, 5, 4}));
}

TEST(ShapeInference, Conv1dUsesWidthAttributes) {
  ConvAttrs a;
  a.kw = 5;
  a.pad_left = a.pad_right = 2;
  a.stride_w = 2;
  EXPECT_EQ(infer_one({1, 3, 96}, a, {{16, 3, 5}}), (Dims{1, 16, 48}));
  a.kh = 3;  // a height kernel makes no sense on [1,C,L]
  EXPECT_THROW(infer_one({1, 3, 96}, a, {{16, 3, 5}}), yono::Error);
}

TEST(ShapeInference, ConvChannelMismatchNamesTheOp) {
  ConvAttrs a;
  a.kh = a.kw = 3;
  try {
    infer_one({1, 4, 8, 8}, a, {{6, 3, 3, 3}});
    FAIL() << "no error";
  } catch (const yono::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Conv op 'op'"), std::string::npos) << msg;
  }
}

TEST(ShapeInference, DenseFlattensItsInput) {
  EXPECT_EQ(infer_one({1, 4, 2, 2}, DenseAttrs{}, {{10, 16}, {10}}), (Dims{1, 10}));
  EXPECT_THROW(infer_one({1, 4, 2, 2}, DenseAttrs{}, {{10, 15}}), yono::Error);
}

TEST(ShapeInference, GlobalPoolKeepdims) {
  EXPECT_EQ(infer_one({1, 8, 5, 5}, GlobalPoolAttrs{PoolKind::kAverage, true}), (Dims{1, 8, 1, 1}));
  EXPECT_EQ(infer_one({1, 8, 20}, GlobalPoolAttrs{PoolKind::kMax, true}), (Dims{1, 8, 1}));
  EXPECT_EQ(infer_one({1, 8, 5, 5}, GlobalPoolAttrs{PoolKind::kAverage, false}), (Dims{1, 8}));
}

TEST(ShapeInference, PoolCeilModeDropsAWindowStartingInRightPadding) {
  PoolAttrs a;
  a.kw = 2;
  a.stride_w = 2;
  a.pad_left = a.pad_right = 1;
  a.ceil_mode = true;
  // windows start at -1, 1, 3; a 4th would start at 5 = in + pad_left
  EXPECT_EQ(infer_one({1, 1, 5}, a), (Dims{1, 1, 3}));
  a.pad_left = a.pad_right = 2;  // padding as wide as the kernel
  EXPECT_THROW(infer_one({1, 1, 5}, a), yono::Error);
}

TEST(ShapeInference, BinaryBroadcastRules) {
  BinaryAttrs add;
  Dims x = {1, 3, 4, 4};
  EXPECT_EQ(infer_one(x, add, {x}), x);
  EXPECT_EQ(infer_one(x, add, {{1}}), x);
  EXPECT_EQ(infer_one(x, add, {{}}), x);
  EXPECT_EQ(infer_one(x, add, {{3, 1, 1}}), x);
  EXPECT_EQ(infer_one(x, add, {{1, 3, 1, 1}}), x);
  EXPECT_EQ(infer_one({1, 3, 7}, add, {{3, 1}}), (Dims{1, 3, 7}));
  EXPECT_EQ(infer_one({1, 3, 7}, add, {{1, 3, 1}}), (Dims{1, 3, 7}));
  EXPECT_EQ(infer_one({1, 5}, add, {{5}}), (Dims{1, 5}));
  // per-channel activation on either side (squeeze-excite style)
  EXPECT_EQ(infer_one({1, 3, 1, 1}, add, {}, {x}), x);
  // numpy aligns [3] with W, and [3,1] with H: not per-channel
  EXPECT_THROW(infer_one(x, add, {{3}}), yono::Error);
  EXPECT_THROW(infer_one(x, add, {{3, 1}}), yono::Error);
  EXPECT_THROW(infer_one(x, add, {{1, 3, 4, 1}}), yono::Error);
}

TEST(ShapeInference, ConcatAlongAnyNonBatchAxis) {
  EXPECT_EQ(infer_one({1, 3, 4, 4}, ConcatAttrs{1}, {}, {{1, 5, 4, 4}}), (Dims{1, 8, 4, 4}));
  EXPECT_EQ(infer_one({1, 3, 4, 4}, ConcatAttrs{-1}, {}, {{1, 3, 4, 2}}), (Dims{1, 3, 4, 6}));
  EXPECT_THROW(infer_one({1, 3, 4, 4}, ConcatAttrs{1}, {}, {{1, 3, 5, 4}}), yono::Error);
  EXPECT_THROW(infer_one({1, 3, 4, 4}, ConcatAttrs{0}, {}, {{1, 3, 4, 4}}), yono::Error);
}

TEST(ShapeInference, PadAndReshape) {
  PadAttrs p;
  p.pad_top = 1;
  p.pad_bottom = 2;
  p.pad_left = 3;
  EXPECT_EQ(infer_one({1, 2, 4, 4}, p), (Dims{1, 2, 7, 7}));
  EXPECT_THROW(infer_one({1, 2, 4}, p), yono::Error);  // H padding on 1-D
  EXPECT_EQ(infer_one({1, 2, 3, 4}, ReshapeAttrs{{1, 24}}), (Dims{1, 24}));
  EXPECT_THROW(infer_one({1, 2, 3, 4}, ReshapeAttrs{{1, 25}}), yono::Error);
}

TEST(Validate, RejectsUseBeforeProductionAndConstantWhereActivationExpected) {
  Graph g;
  g.name = "t";
  int x = activation(g, "x", {1, 4});
  int mid = activation(g, "mid", {1, 4});
  int y = activation(g, "y", {1, 4});
  g.inputs = {x};
  g.outputs = {y};
  Op second{"second", UnaryAttrs{}, {mid}, {y}};
  Op first{"first", UnaryAttrs{}, {x}, {mid}};
  g.ops = {second, first};
  EXPECT_THROW(validate(g), yono::Error);
  g.ops = {first, second};
  EXPECT_NO_THROW(validate(g));

  int c = constant(g, "c", {1, 4});
  g.ops[0].inputs = {c};
  EXPECT_THROW(validate(g), yono::Error);
}

}  // namespace
