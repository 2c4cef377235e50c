// `yono train --init`: weights of an exported model go back into a fresh
// preset by name, and with batch norms left folded the training module
// computes exactly that model from the first step (train mode included).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "torch_forward.h"
#include "train_test_support.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx/export.h"
#include "yono/compiler/onnx/weights.h"
#include "yono/compiler/train/ir_module.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

TEST(WarmStart, LoadsWeightsByNameAndKeepsTheFunction) {
  torch::set_num_threads(1);
  const std::vector<int64_t> dims = {3, 32, 32};
  yono::ir::Graph trained = yono::zoo::build_model("resnet8", dims, 10, 1);
  yono::test::randomise_affines(trained, 21);
  const std::string path =
      ::testing::TempDir() + "warm_start_resnet8_" + std::to_string(::getpid()) + ".onnx";
  yono::write_onnx(trained, path);

  yono::ir::Graph fresh = yono::zoo::build_model("resnet8", dims, 10, 2);
  ASSERT_NE(fresh.tensors[fresh.ops[0].inputs[1]].data,
            trained.tensors[trained.ops[0].inputs[1]].data);
  yono::load_weights_by_name(fresh, path);
  for (size_t t = 0; t < fresh.tensors.size(); ++t) {
    if (fresh.tensors[t].is_constant) {
      EXPECT_EQ(fresh.tensors[t].data, trained.tensors[t].data) << fresh.tensors[t].name;
    }
  }

  const yono::ir::Dims& in_dims = fresh.tensors[fresh.inputs[0]].dims;
  const auto input = yono::test::random_values(
      static_cast<size_t>(yono::ir::element_count(in_dims)), 5, -2.f, 2.f);
  const auto want = yono::test::run_runtime(trained, input);
  yono::train::IrModule folded(fresh, true, /*batch_norm=*/false);
  folded.train();  // no batch statistics: training starts from this very function
  yono::test::expect_close(yono::test::torch_forward(folded, input, in_dims), want, 1e-4,
                           "train mode");
  yono::train::IrModule with_bn(fresh);
  with_bn.train();
  const std::vector<float> renormalised = yono::test::torch_forward(with_bn, input, in_dims);
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i)
    worst = std::max(worst, static_cast<double>(std::abs(renormalised[i] - want[i])));
  EXPECT_GT(worst, 1e-3) << "batch statistics should change a folded model's output";
  std::remove(path.c_str());
}

TEST(WarmStart, OtherArchitectureIsRefusedNamingTheFile) {
  const std::string path =
      ::testing::TempDir() + "warm_start_cnn1d_" + std::to_string(::getpid()) + ".onnx";
  yono::write_onnx(yono::zoo::build_model("cnn1d", {4, 160}, 10, 1), path);
  yono::ir::Graph other = yono::zoo::build_model("fmnist-cnn", {1, 28, 28}, 10, 1);
  const yono::ir::Graph before = other;
  try {
    yono::load_weights_by_name(other, path);
    FAIL() << "no error";
  } catch (const yono::Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  for (size_t t = 0; t < other.tensors.size(); ++t) {
    EXPECT_EQ(other.tensors[t].data, before.tensors[t].data) << "changed on failure";
  }
  std::remove(path.c_str());
}

}  // namespace
