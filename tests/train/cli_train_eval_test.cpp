// `yono train` and `yono eval` as a user runs them: on a miniature
// Fashion-MNIST that the test writes (IDX, gzip) and finds through YONO_DATA.
// Training twice with one seed must give the same model; the runtime's
// accuracy on the imported pack must equal libtorch's; bad input must fail
// with one line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mini_fashion_mnist.h"

namespace {

namespace fs = std::filesystem;

constexpr int kClasses = 10;

using yono::test::CliRun;
using yono::test::slurp;

class CliTrainEval : public yono::test::MiniFashionMnistCli {
 protected:
  static void SetUpTestSuite() { create_world("yono-cli-train", 400, 11, 100, 12); }
  static void TearDownTestSuite() { destroy_world(); }

  static nlohmann::json json_file(const std::string& file) {
    return nlohmann::json::parse(slurp(dir() / file));
  }
};

TEST_F(CliTrainEval, SameSeedSameModelAndRuntimeAgreesWithLibtorch) {
  const std::string common = "train --task fashion-mnist --epochs 4 --batch 16 --seed 7 -q ";
  const CliRun a = yono(common + "-o a.onnx");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const CliRun b = yono(common + "-o b.onnx --metrics b-metrics.json");
  ASSERT_EQ(b.exit_code, 0) << b.err;

  // Same seed: the same bytes, hence the same accuracy.
  EXPECT_EQ(slurp(path("a.onnx")), slurp(path("b.onnx")));
  const nlohmann::json ma = json_file("a.json"), mb = json_file("b-metrics.json");
  EXPECT_EQ(ma["accuracy"], mb["accuracy"]);
  EXPECT_EQ(ma["seed"], 7);
  EXPECT_EQ(ma["test_samples"], 100);
  EXPECT_EQ(ma["data_fnv1a64"], mb["data_fnv1a64"]);
  EXPECT_EQ(ma["history"].size(), 4u);
  // The bands are easy: a model that learnt nothing would sit near 10%.
  EXPECT_GT(ma["accuracy"].get<double>(), 0.5);

  // A different seed shuffles and initialises differently.
  ASSERT_EQ(
      yono("train --task fashion-mnist --epochs 4 --batch 16 --seed 8 -q -o c.onnx").exit_code, 0);
  EXPECT_NE(slurp(path("a.onnx")), slurp(path("c.onnx")));

  // Through the runtime (the MCU's code path) and through libtorch.
  ASSERT_EQ(yono("import a.onnx -o a.yono").exit_code, 0);
  const CliRun rt = yono("eval a.yono --model a --task fashion-mnist --seed 7 --json");
  ASSERT_EQ(rt.exit_code, 0) << rt.err;
  const nlohmann::json e = nlohmann::json::parse(rt.out);
  EXPECT_EQ(e["engine"], "yono-runtime");
  EXPECT_EQ(e["count"], 100);
  EXPECT_DOUBLE_EQ(e["accuracy"].get<double>(), ma["accuracy"].get<double>());
  EXPECT_EQ(e["data_fnv1a64"], ma["data_fnv1a64"]);
  int64_t total = 0, diagonal = 0;
  ASSERT_EQ(e["confusion"].size(), static_cast<size_t>(kClasses));
  for (int r = 0; r < kClasses; ++r)
    for (int c = 0; c < kClasses; ++c) {
      total += e["confusion"][r][c].get<int64_t>();
      if (r == c) diagonal += e["confusion"][r][c].get<int64_t>();
    }
  EXPECT_EQ(total, 100);
  EXPECT_EQ(diagonal, e["correct"].get<int64_t>());
  // Three Sessions sharing the samples: the same predictions, so the same matrix.
  const CliRun rt3 = yono("eval a.yono --model a --task fashion-mnist --seed 7 --json --threads 3");
  ASSERT_EQ(rt3.exit_code, 0) << rt3.err;
  EXPECT_EQ(nlohmann::json::parse(rt3.out)["confusion"], e["confusion"]);

  const CliRun ref = yono("eval a.onnx --task fashion-mnist --json");
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  const nlohmann::json f = nlohmann::json::parse(ref.out);
  EXPECT_EQ(f["engine"], "libtorch-float");
  EXPECT_DOUBLE_EQ(f["accuracy"].get<double>(), ma["accuracy"].get<double>());
}

void expect_one_line_error(const CliRun& r, const std::string& mention) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
}

TEST_F(CliTrainEval, BadInputFailsWithOneLine) {
  expect_one_line_error(yono("train --task nope -o x.onnx"), "nope");
  expect_one_line_error(yono("train --task fashion-mnist --epochs 0 -o x.onnx"), "epochs");
  // No FSDD anywhere on this search path: the error names where it looked.
  expect_one_line_error(yono("train --task fsdd -q -o x.onnx"), path("data"));
  EXPECT_FALSE(fs::exists(path("x.onnx")));
  expect_one_line_error(yono("eval missing.yono --task fashion-mnist"), "missing.yono");
  ASSERT_EQ(yono("train --task fashion-mnist --epochs 1 -q -o d.onnx").exit_code, 0);
  ASSERT_EQ(yono("import d.onnx -o d.yono").exit_code, 0);
  expect_one_line_error(yono("eval d.yono --model other --task fashion-mnist"), "other");
}

}  // namespace
