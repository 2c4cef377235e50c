// IR -> ONNX -> import_onnx must compute what the IR computes, through the
// runtime, for every preset (which also proves the presets pack and run) and
// for the hand-built graphs that cover the remaining op kinds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "pack_test_graphs.h"
#include "train_test_support.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx/export.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

yono::ir::Graph round_trip(const yono::ir::Graph& g, const std::string& stem) {
  const std::string path = ::testing::TempDir() + stem + "_" + std::to_string(::getpid()) + ".onnx";
  yono::write_onnx(g, path);
  yono::ir::Graph back = yono::import_onnx(path, g.name);
  std::remove(path.c_str());
  return back;
}

TEST(OnnxExport, PresetsRoundTripThroughImporterAndRuntime) {
  const std::vector<std::pair<std::string, std::vector<int64_t>>> presets = {
      {"fmnist-cnn", {1, 28, 28}},
      {"resnet8", {3, 32, 32}},
      {"resnet8-wide", {3, 32, 32}},  // the shipped cifar10 preset
      {"ds-cnn", {1, 49, 40}},
      {"cnn1d", {3, 96}}};
  uint32_t seed = 10;
  for (const auto& [arch, dims] : presets) {
    yono::ir::Graph g = yono::zoo::build_model(arch, dims, 10, seed);
    yono::test::randomise_affines(g, seed * 100);
    const yono::ir::Graph back = round_trip(g, arch);
    // The importer folds every batch norm of a preset into its conv.
    for (const auto& op : back.ops)
      EXPECT_FALSE(std::holds_alternative<yono::ir::ChannelAffineAttrs>(op.attrs)) << arch;
    const auto input = yono::test::random_values(
        static_cast<size_t>(yono::ir::element_count(g.tensors[g.inputs[0]].dims)), seed++);
    const auto want = yono::test::run_runtime(g, input);
    ASSERT_EQ(want.size(), 10u) << arch;
    yono::test::expect_close(yono::test::run_runtime(back, input), want, 1e-5, arch);
  }
}

TEST(OnnxExport, HandGraphsWithAllOpKindsRoundTrip) {
  for (const yono::ir::Graph& g :
       {yono::test::image_model("image"), yono::test::signal_model("signal")}) {
    const yono::ir::Graph back = round_trip(g, g.name);
    ASSERT_EQ(back.outputs.size(), g.outputs.size());
    const auto input = yono::test::random_values(
        static_cast<size_t>(yono::ir::element_count(g.tensors[g.inputs[0]].dims)), 3);
    for (uint32_t o = 0; o < g.outputs.size(); ++o)
      yono::test::expect_close(yono::test::run_runtime(back, input, o),
                               yono::test::run_runtime(g, input, o), 1e-5, g.name);
  }
}

TEST(OnnxExport, FusedActivationsAndHardSwishSurvive) {
  yono::test::GraphBuilder b;
  b.g.name = "acts";
  const int x = b.act("x", {1, 2, 4, 4});
  yono::ir::ConvAttrs conv;
  conv.kh = conv.kw = 3;
  conv.pad_top = conv.pad_left = conv.pad_bottom = conv.pad_right = 1;
  conv.act = {0.f, 6.f};  // ReLU6
  int t = b.op("conv", conv, {x, b.constant("w", {3, 2, 3, 3})}, b.act("c", {1, 3, 4, 4}));
  t = b.op("hs", yono::ir::UnaryAttrs{yono::ir::UnaryKind::kHardSwish, 0.f, 0.f}, {t},
           b.act("h", {1, 3, 4, 4}));
  t = b.op("lrelu", yono::ir::UnaryAttrs{yono::ir::UnaryKind::kLeakyRelu, 0.1f, 0.f}, {t},
           b.act("l", {1, 3, 4, 4}));
  yono::ir::ChannelAffineAttrs affine;
  affine.act.max = 0.5f;  // a clamp with only an upper bound
  t = b.op("affine", affine, {t, b.constant("s", {3}), b.constant("b", {3})},
           b.act("a", {1, 3, 4, 4}));
  t = b.op("gmp", yono::ir::GlobalPoolAttrs{yono::ir::PoolKind::kMax, true}, {t},
           b.act("g", {1, 3, 1, 1}));
  b.g.inputs = {x};
  b.g.outputs = {t};
  yono::ir::infer_shapes(b.g);
  const auto back = round_trip(b.g, "acts");
  const auto input = yono::test::random_values(32, 5, -3.f, 3.f);
  yono::test::expect_close(yono::test::run_runtime(back, input),
                           yono::test::run_runtime(b.g, input), 1e-5, "acts");
}

TEST(OnnxExport, CheckerRejectionWritesNothing) {
  yono::ir::Graph g = yono::zoo::build_model("cnn1d", {3, 96}, 10, 1);
  std::swap(g.ops[0], g.ops[1]);  // the batch norm now reads a value not yet computed
  const std::string path = ::testing::TempDir() + "invalid_" + std::to_string(::getpid()) + ".onnx";
  std::remove(path.c_str());
  EXPECT_THROW(yono::write_onnx(g, path), yono::Error);
  EXPECT_FALSE(std::ifstream(path).good());
}

}  // namespace

namespace {

// Every new op kind maps back to ONNX (an AxisGather as a flat Gather) and
// re-imports to the same outputs.
TEST(OnnxExport, GatherAndReduceFixturesRoundTrip) {
  uint32_t seed = 80;
  for (const char* name : {"tcn_last_step", "reduce_matmul", "resize_pad_net", "broadcast_ops"}) {
    const yono::ir::Graph g =
        yono::import_onnx(std::string(YONO_FIXTURES_DIR) + "/" + name + ".onnx", name);
    const yono::ir::Graph back = round_trip(g, name);
    const auto input = yono::test::random_values(
        static_cast<size_t>(yono::ir::element_count(g.tensors[g.inputs[0]].dims)), seed++);
    yono::test::expect_close(yono::test::run_runtime(back, input),
                             yono::test::run_runtime(g, input), 1e-5, name);
  }
}

}  // namespace
