// The torch executor must compute what the runtime computes on the same IR,
// and folding trained batch norms back into the IR must keep eval outputs.
#include "yono/compiler/train/ir_module.h"

#include <gtest/gtest.h>

#include "torch_forward.h"
#include "train_test_support.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

const std::vector<std::pair<std::string, std::vector<int64_t>>>& presets() {
  static const std::vector<std::pair<std::string, std::vector<int64_t>>> p = {
      {"fmnist-cnn", {1, 28, 28}},
      {"resnet8", {3, 32, 32}},
      {"resnet8-wide", {3, 32, 32}},  // the shipped cifar10 preset
      {"ds-cnn", {1, 49, 40}},
      {"cnn1d", {3, 96}}};
  return p;
}

std::vector<float> torch_eval(yono::train::IrModule& m, const std::vector<float>& input,
                              const yono::ir::Dims& dims) {
  m.eval();
  return yono::test::torch_forward(m, input, dims);
}

TEST(IrModule, ForwardMatchesRuntimeForEveryPreset) {
  torch::set_num_threads(1);  // 2 spinning threads crawl on a loaded CI box
  uint32_t seed = 1;
  for (const auto& [arch, dims] : presets()) {
    yono::ir::Graph g = yono::zoo::build_model(arch, dims, 10, seed);
    yono::test::randomise_affines(g, 50 + seed);
    const yono::ir::Dims& in_dims = g.tensors[g.inputs[0]].dims;
    const auto input =
        yono::test::random_values(static_cast<size_t>(yono::ir::element_count(in_dims)), seed++);
    yono::train::IrModule m(g);
    yono::test::expect_close(torch_eval(m, input, in_dims), yono::test::run_runtime(g, input), 1e-4,
                             arch);
  }
}

TEST(IrModule, BatchNormsAreTrainableAndFoldBackToTheEvalOutput) {
  torch::set_num_threads(1);  // 2 spinning threads crawl on a loaded CI box
  torch::manual_seed(3);
  for (const auto& [arch, dims] : presets()) {
    yono::ir::Graph g = yono::zoo::build_model(arch, dims, 10, 4);
    yono::train::IrModule m(g);
    // Train-mode passes move the running statistics away from (0, 1) and a
    // few SGD steps move gamma/beta away from (1, 0).
    torch::optim::SGD sgd(m.parameters(), torch::optim::SGDOptions(0.1));
    std::vector<int64_t> batch = {4};
    batch.insert(batch.end(), dims.begin(), dims.end());
    m.train();
    for (int step = 0; step < 2; ++step) {
      sgd.zero_grad();
      torch::Tensor x = torch::randn(batch) * 2.0 + 0.5;
      torch::nn::functional::cross_entropy(m.forward(x), torch::randint(0, 10, {4})).backward();
      sgd.step();
    }
    const yono::ir::Dims& in_dims = g.tensors[g.inputs[0]].dims;
    const auto input = yono::test::random_values(
        static_cast<size_t>(yono::ir::element_count(in_dims)), 77, -2.f, 2.f);
    const auto want = torch_eval(m, input, in_dims);

    yono::ir::Graph folded = g;
    m.write_back(folded);
    EXPECT_NE(folded.tensors[folded.ops[0].inputs[1]].data, g.tensors[g.ops[0].inputs[1]].data)
        << arch << ": training did not change the first conv";
    yono::test::expect_close(yono::test::run_runtime(folded, input), want, 1e-4, arch);
    yono::train::IrModule again(folded);
    yono::test::expect_close(torch_eval(again, input, in_dims), want, 1e-4, arch);
  }
}

}  // namespace

namespace {

// The imported fixtures that use the ops of issue 15 (gathers, reductions,
// div/prelu, log-softmax): torch computes what the runtime does, so they
// can be fine-tuned like any zoo model.
TEST(IrModule, ForwardMatchesRuntimeOnGatherAndReduceFixtures) {
  torch::set_num_threads(1);
  uint32_t seed = 70;
  for (const char* name : {"tcn_last_step", "reduce_matmul", "resize_pad_net", "broadcast_ops"}) {
    const yono::ir::Graph g =
        yono::import_onnx(std::string(YONO_FIXTURES_DIR) + "/" + name + ".onnx", name);
    const yono::ir::Dims& in_dims = g.tensors[g.inputs[0]].dims;
    const auto input =
        yono::test::random_values(static_cast<size_t>(yono::ir::element_count(in_dims)), seed++);
    yono::train::IrModule m(g, false);  // keep reduce_matmul's final LogSoftmax
    yono::test::expect_close(torch_eval(m, input, in_dims), yono::test::run_runtime(g, input), 1e-4,
                             name);
  }
}

}  // namespace
