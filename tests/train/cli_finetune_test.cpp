// `yono compress --task MODEL=TASK` as a user runs it, on a miniature
// Fashion-MNIST the test writes and finds through YONO_DATA: the same seed
// gives the same pack bytes, and bad tasks fail with one line, exit 2 and
// no pack.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mini_fashion_mnist.h"

namespace {

namespace fs = std::filesystem;

using yono::test::CliRun;
using yono::test::slurp;

class CliFinetune : public yono::test::MiniFashionMnistCli {
 protected:
  static void SetUpTestSuite() {
    create_world("yono-cli-finetune", 300, 21, 100, 22);
    // Two small trained models to pack together.
    for (const char* m : {"a", "b"}) {
      const CliRun r =
          yono(std::string("train --task fashion-mnist --epochs 2 --batch 16 -q --seed ") +
               (m[0] == 'a' ? "3" : "4") + " -o " + m + ".onnx");
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  static void TearDownTestSuite() { destroy_world(); }
};

constexpr const char* kCompress =
    "compress a.onnx b.onnx --codewords 8 --keep-min-weights 0 --codebook-dtype f16 "
    "--task a=fashion-mnist --task b=fashion-mnist --epochs 1 --max-steps 6 --batch 16 "
    "--threads 1 --lr 1e-3 -q ";

TEST_F(CliFinetune, SameSeedSameBytesAndFinetuningChangesThePack) {
  const CliRun a = yono(std::string(kCompress) + "--finetune learned --seed 3 -o a.yono");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_NE(a.out.find("fine-tuned"), std::string::npos) << a.out;
  const CliRun b = yono(std::string(kCompress) + "--finetune learned --seed 3 -o b.yono");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(slurp(path("a.yono")), slurp(path("b.yono")));

  const CliRun none = yono(std::string(kCompress) + "--finetune none --seed 3 -o none.yono");
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(slurp(path("a.yono")), slurp(path("none.yono")));
  // The fine-tuned pack runs on the runtime.
  const CliRun e = yono("eval a.yono --model a --task fashion-mnist");
  EXPECT_EQ(e.exit_code, 0) << e.err;
}

TEST_F(CliFinetune, ReportSaysWhatWasChosenAndWhatItReached) {
  const CliRun r = yono(std::string(kCompress) + "--seed 5 --report r.json -o r.yono");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("tuned%"), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(path("r.json")));
  EXPECT_EQ(j["pack_bytes"].get<uint64_t>(), fs::file_size(path("r.yono")));
  EXPECT_EQ(j["accuracy_split"], "validation");
  EXPECT_EQ(j["finetune"]["steps"], 6);
  EXPECT_EQ(j["finetune"]["mode"], "learned");
  ASSERT_EQ(j["models"].size(), 2u);
  uint64_t float32 = 0;
  for (const nlohmann::json& m : j["models"]) {
    EXPECT_EQ(m["task"], "fashion-mnist");
    for (const char* k : {"float_validation", "compressed_validation", "finetuned_validation"}) {
      ASSERT_TRUE(m[k].is_number()) << k;
      EXPECT_GE(m[k].get<double>(), 0.0);
      EXPECT_LE(m[k].get<double>(), 1.0);
    }
    ASSERT_FALSE(m["layers"].empty());
    // --keep-min-weights 0: every layer is in its group's shared codebook.
    for (const nlohmann::json& l : m["layers"]) {
      EXPECT_EQ(l["encoding"], "pq") << l;
      EXPECT_EQ(l["K"], 8);
      EXPECT_NE(l["reason"].get<std::string>().find("codebook"), std::string::npos) << l;
    }
    float32 += m["float32_bytes"].get<uint64_t>();
  }
  EXPECT_EQ(j["float32_bytes"].get<uint64_t>(), float32);
  EXPECT_DOUBLE_EQ(
      j["ratio_vs_float32"].get<double>(),
      static_cast<double>(float32) / static_cast<double>(fs::file_size(path("r.yono"))));
}

// A pack's size as the report of a run states it, checked against the file.
uint64_t report_bytes(const nlohmann::json& j, const std::string& pack) {
  const auto bytes = j["pack_bytes"].get<uint64_t>();
  EXPECT_EQ(bytes, fs::file_size(pack));
  return bytes;
}

TEST_F(CliFinetune, FlashBudgetShrinksToFitAndSpendsWhatIsLeft) {
  const std::string base = std::string(kCompress) + "--finetune none --seed 2 ";
  ASSERT_EQ(yono(base + "--report plain.json -o plain.yono").exit_code, 0);
  const uint64_t plain =
      report_bytes(nlohmann::json::parse(slurp(path("plain.json"))), path("plain.yono"));

  // Room to spare: the search measures sensitivity and buys dearer encodings
  // for the most harmful layers while they fit.
  const uint64_t roomy = plain + 4000;
  const CliRun r =
      yono(base + "--flash-budget " + std::to_string(roomy) + " --report roomy.json -o roomy.yono");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("search --flash-budget"), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(path("roomy.json")));
  const uint64_t bytes = report_bytes(j, path("roomy.yono"));
  EXPECT_LE(bytes, roomy);
  const nlohmann::json& steps = j["search"]["steps"];
  ASSERT_GE(steps.size(), 2u) << j["search"];
  EXPECT_EQ(steps[0]["change"], "the options as given");
  EXPECT_EQ(steps[0]["bytes"].get<uint64_t>(), plain);
  uint64_t last_taken = 0;
  for (const nlohmann::json& s : steps) {
    if (!s["accepted"].get<bool>()) {
      EXPECT_GT(s["bytes"].get<uint64_t>(), roomy) << s;  // rejected only for not fitting
      continue;
    }
    EXPECT_LE(s["bytes"].get<uint64_t>(), roomy) << s;
    last_taken = s["bytes"].get<uint64_t>();
  }
  EXPECT_EQ(last_taken, bytes);
  EXPECT_GT(bytes, plain) << "nothing was spent on the most sensitive layers";

  // Too little room: the ladder shrinks the pack until it fits.
  const uint64_t tight = plain - 1;
  ASSERT_EQ(
      yono(base + "--flash-budget " + std::to_string(tight) + " --report tight.json -o tight.yono")
          .exit_code,
      0);
  EXPECT_LE(report_bytes(nlohmann::json::parse(slurp(path("tight.json"))), path("tight.yono")),
            tight);
}

TEST_F(CliFinetune, MaxLossPicksTheSmallestConfigurationThatMeetsIt) {
  // Any loss allowed: the binary search ends on the ladder's smallest rung.
  const CliRun loose =
      yono(std::string(kCompress) + "--max-loss 100 --report loose.json -o loose.yono");
  ASSERT_EQ(loose.exit_code, 0) << loose.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(path("loose.json")));
  const uint64_t bytes = report_bytes(j, path("loose.yono"));
  const nlohmann::json& steps = j["search"]["steps"];
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[0]["change"], "the options as given");
  uint64_t smallest = steps[0]["bytes"].get<uint64_t>();
  for (const nlohmann::json& s : steps) {
    EXPECT_TRUE(s["accepted"].get<bool>()) << s;  // every one meets a 100 pp bound
    smallest = std::min(smallest, s["bytes"].get<uint64_t>());
  }
  EXPECT_EQ(bytes, smallest);
  EXPECT_LT(bytes, steps[0]["bytes"].get<uint64_t>());
  EXPECT_TRUE(j["finetune"].is_object());
  for (const nlohmann::json& m : j["models"]) EXPECT_TRUE(m["finetuned_validation"].is_number());
}

void expect_one_line_error(const CliRun& r, const std::string& mention) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
}

TEST_F(CliFinetune, BadTasksFailWithOneLineAndNoPack) {
  // A task for a model that was not given.
  expect_one_line_error(yono("compress a.onnx --task c=fashion-mnist -o x.yono"), "'c'");
  expect_one_line_error(yono("compress a.onnx --task a -o x.yono"), "MODEL=TASK");
  expect_one_line_error(yono("compress a.onnx --task a=nope -o x.yono"), "nope");
  // No FSDD on this search path: the error names where it looked.
  expect_one_line_error(yono("compress a.onnx --task a=fsdd -o x.yono"), path("data"));
  // HMP has 10 activities but 3x96 sensor windows; the fixture sensor model
  // has other outputs than fashion-mnist's 10 classes.
  expect_one_line_error(yono(std::string("compress '") + YONO_FIXTURES_DIR +
                             "/sensor_1d.onnx' --task sensor_1d=fashion-mnist -o x.yono"),
                        "sensor_1d.onnx");
  expect_one_line_error(yono("compress a.onnx --finetune yono -o x.yono"), "--task");
  // A budget no configuration reaches says the smallest one.
  expect_one_line_error(yono("compress a.onnx --flash-budget 100 -o x.yono"),
                        "smallest reachable is");
  expect_one_line_error(yono("compress a.onnx --max-loss 1 -o x.yono"), "--task");
  expect_one_line_error(
      yono("compress a.onnx --task a=fashion-mnist --max-loss 1 --flash-budget 9000 -o x.yono"),
      "one");
  // A bound nothing meets (no loss at all, after 2 steps of 8 codewords)
  // says how close the best came.
  expect_one_line_error(yono("compress a.onnx --task a=fashion-mnist --codewords 2 --max-steps 2 "
                             "--batch 16 --threads 1 -q --max-loss 0 -o x.yono"),
                        "best found");
  EXPECT_FALSE(fs::exists(path("x.yono")));
  // An output that is an input, or the report that is the pack, is refused
  // before anything is read or written.
  const std::string before = slurp(path("a.onnx"));
  expect_one_line_error(yono("compress a.onnx b.onnx -o a.onnx"), "a.onnx");
  expect_one_line_error(yono("compress a.onnx --report x.yono -o x.yono"), "x.yono");
  expect_one_line_error(yono("compress a.onnx --report a.onnx -o x.yono"), "a.onnx");
  EXPECT_EQ(slurp(path("a.onnx")), before);
  EXPECT_FALSE(fs::exists(path("x.yono")));
}

}  // namespace
