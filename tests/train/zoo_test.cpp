// Presets build for their tasks' inputs within the MCU budget of issue #4,
// and model_cost counts what a naive count gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/passes.h"
#include "yono/compiler/pack/arena_plan.h"
#include "yono/compiler/zoo/graph_builder.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

struct Shape {
  const char* name;  // a task or an arch
  std::vector<int64_t> sample_dims;
};

// Every preset with the input of the task it was made for.
const std::vector<Shape>& arch_shapes() {
  static const std::vector<Shape> shapes = {{"fmnist-cnn", {1, 28, 28}},
                                            {"resnet8", {3, 32, 32}},
                                            {"resnet8-wide", {3, 32, 32}},
                                            {"ds-cnn", {1, 49, 40}},
                                            {"cnn1d", {4, 160}}};
  return shapes;
}

TEST(ModelZoo, EveryPresetFitsTheMcuBudget) {
  std::vector<std::string> covered;
  for (const Shape& s : arch_shapes()) {
    const yono::ir::Graph g = yono::zoo::build_model(s.name, s.sample_dims, 10, 1);
    EXPECT_EQ(g.name, s.name);
    EXPECT_EQ(g.tensors[g.outputs[0]].dims, (yono::ir::Dims{1, 10})) << s.name;
    const yono::zoo::ModelCost cost = yono::zoo::model_cost(g);
    EXPECT_LE(cost.params, 150000) << s.name;
    EXPECT_GT(cost.params, 10000) << s.name;
    EXPECT_LE(cost.macs, 15000000) << s.name;
    // What gets packed is the imported form (BN folded, ReLU fused).
    yono::ir::Graph packed = g;
    yono::ir::run_import_passes(packed);
    EXPECT_LE(yono::plan_arena(packed).arena_size, 192 * 1024) << s.name;
    covered.push_back(s.name);
  }
  std::sort(covered.begin(), covered.end());
  std::vector<std::string> all = yono::zoo::arch_names();
  std::sort(all.begin(), all.end());
  EXPECT_EQ(covered, all) << "a preset without a budget check";
}

TEST(ModelZoo, EveryTaskHasADefaultPreset) {
  const std::vector<Shape> tasks = {{"fashion-mnist", {1, 28, 28}},
                                    {"cifar10", {3, 32, 32}},
                                    {"fsdd", {1, 49, 40}},
                                    {"hmp", {4, 160}}};
  for (const Shape& t : tasks) {
    const std::string arch = yono::zoo::default_arch(t.name);
    EXPECT_NO_THROW(yono::zoo::build_model(arch, t.sample_dims, 10, 1)) << t.name;
  }
}

TEST(ModelZoo, DataFoldersGetAPresetByModalityAndShapeThatBuilds) {
  struct Case {
    const char* modality;
    std::vector<int64_t> dims;
    const char* arch;
  };
  const std::vector<Case> cases = {{"image", {1, 28, 28}, "fmnist-cnn"},
                                   {"image", {1, 8, 8}, "fmnist-cnn"},
                                   {"image", {1, 6, 28}, "resnet8"},
                                   {"image", {1, 64, 64}, "resnet8"},
                                   {"image", {3, 32, 32}, "resnet8-wide"},
                                   {"image", {3, 8, 12}, "resnet8-wide"},
                                   {"image", {3, 96, 96}, "resnet8"},
                                   {"audio", {1, 49, 40}, "ds-cnn"},
                                   {"audio", {1, 24, 13}, "ds-cnn"},
                                   {"sensor", {3, 128}, "cnn1d"},
                                   {"sensor", {6, 32}, "cnn1d"}};
  for (const Case& c : cases) {
    const std::string arch = yono::zoo::default_arch_for(c.modality, c.dims);
    EXPECT_EQ(arch, c.arch) << c.modality << " " << yono::ir::dims_string(c.dims);
    EXPECT_NO_THROW(yono::zoo::build_model(arch, c.dims, 3, 1)) << arch;
  }
  EXPECT_THROW(yono::zoo::default_arch_for("video", {3, 8, 8}), yono::Error);
}

TEST(ModelZoo, Resnet8MatchesMlperfTinySize) {
  const auto cost = yono::zoo::model_cost(yono::zoo::build_model("resnet8", {3, 32, 32}, 10, 1));
  // MLPerf Tiny's ResNet-8: ~78k parameters, ~12.5M MACs (ours has no conv
  // biases but BN scale/shift, so the count differs slightly).
  EXPECT_NEAR(static_cast<double>(cost.params), 78000.0, 3000.0);
  EXPECT_NEAR(static_cast<double>(cost.macs), 12.5e6, 0.5e6);
}

TEST(ModelZoo, SameSeedSameWeightsOtherSeedOther) {
  const auto a = yono::zoo::build_model("cnn1d", {3, 96}, 10, 7);
  const auto b = yono::zoo::build_model("cnn1d", {3, 96}, 10, 7);
  const auto c = yono::zoo::build_model("cnn1d", {3, 96}, 10, 8);
  const int w = a.ops[0].inputs[1];
  EXPECT_EQ(a.tensors[w].data, b.tensors[w].data);
  EXPECT_NE(a.tensors[w].data, c.tensors[w].data);
  // PyTorch's default bound 1/sqrt(fan_in), fan_in = 3 * 5.
  for (float v : a.tensors[w].data) EXPECT_LE(std::abs(v), 1.0f / std::sqrt(15.0f));
}

TEST(ModelZoo, UnknownArchAndWrongRankAreErrors) {
  EXPECT_THROW(yono::zoo::build_model("vgg16", {3, 32, 32}, 10, 1), yono::Error);
  EXPECT_THROW(yono::zoo::build_model("cnn1d", {3, 32, 32}, 10, 1), yono::Error);
  EXPECT_THROW(yono::zoo::default_arch("imagenet"), yono::Error);
}

TEST(ModelCost, CountsConvAndDenseMacsAndAllConstants) {
  yono::zoo::GraphBuilder b("cost", 1);
  int x = b.input("x", {1, 2, 5, 5});
  x = b.conv2d(x, 4, 3, 3);      // 4*5*5 outputs x 2*9 taps = 1800 MACs, 72 weights
  x = b.batch_norm(x);           // 8 params, no MACs
  x = b.dense(b.flatten(x), 3);  // 100 -> 3: 300 MACs, 303 params
  const auto cost = yono::zoo::model_cost(b.finish({x}));
  EXPECT_EQ(cost.macs, 1800 + 300);
  EXPECT_EQ(cost.params, 72 + 8 + 303);
}

TEST(GraphBuilder, EvenKernelsPadLikeSameAndGroupsShrinkWeights) {
  yono::zoo::GraphBuilder b("pad", 1);
  int x = b.input("x", {1, 8, 49, 40});
  int y = b.conv2d(x, 8, 10, 4, 2);
  EXPECT_EQ(b.dims(y), (yono::ir::Dims{1, 8, 25, 20}));
  int z = b.depthwise2d(y, 3);
  EXPECT_EQ(b.dims(z), (yono::ir::Dims{1, 8, 25, 20}));
  const yono::ir::Graph g = b.finish({z});
  EXPECT_EQ(g.tensors[g.ops[1].inputs[1]].dims, (yono::ir::Dims{8, 1, 3, 3}));
  const auto& conv = std::get<yono::ir::ConvAttrs>(g.ops[0].attrs);
  EXPECT_EQ(conv.pad_top + conv.pad_bottom, 9);
  EXPECT_EQ(conv.pad_left + conv.pad_right, 3);
}

}  // namespace
