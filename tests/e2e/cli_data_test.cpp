// `yono train --data`, `yono eval --data` and `yono compress --data` as a
// user runs them, on miniature folders of every layout the test writes; and
// the malformed folders, each refused with exit code 2 and one line naming
// the file or folder, with no output written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e_util.h"
#include "user_data_fixtures.h"
#include "yono/compiler/onnx/import.h"

namespace yono::e2e {
namespace {

namespace fs = std::filesystem;

nlohmann::json json_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

void expect_user_error(const YonoRun& r, const std::string& must_mention) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("yono: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_NE(r.err.find(must_mention), std::string::npos)
      << "stderr should mention '" << must_mention << "': " << r.err;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

struct LayoutCase {
  std::string name;
  std::function<void(const fs::path&)> make;
  std::vector<std::string> flags;  // data flags, given to train and eval alike
  std::string layout, arch;
  std::vector<std::string> classes;
  size_t test_samples;
};

std::vector<LayoutCase> layout_cases() {
  return {
      {"idx",
       [](const fs::path& root) {
         test::make_idx_folder(root, 3, 60, 15, 10, 1);
         test::write_text_file((root / "classes.txt").string(), "zero\none\ntwo\n");
       },
       {},
       "IDX",
       "fmnist-cnn",
       {"zero", "one", "two"},
       15},
      {"images",
       [](const fs::path& root) {
         test::make_image_folder(root, "", {"cat", "dog", "emu"}, 10, 8, 8, 3, 2);
         test::write_png_image((root / "dog" / "large.png").string(), 12, 10, 3,
                               std::vector<uint8_t>(12 * 10 * 3, 90));
       },
       {"--resize", "8x8"},
       "image folders",
       "resnet8-wide",
       {"cat", "dog", "emu"},
       6},  // round(0.2 * 10) + round(0.2 * 11) + round(0.2 * 10)
      {"audio",
       [](const fs::path& root) {
         test::make_audio_folder(root, "train", {"high", "low"}, 6, 8000, 2000, 3);
         test::make_audio_folder(root, "test", {"high", "low"}, 2, 8000, 2000, 4);
       },
       {"--clip-seconds", "0.25"},
       "audio folders",
       "ds-cnn",
       {"high", "low"},
       4},
      {"sensor",
       [](const fs::path& root) {
         test::make_sensor_folder(root, "", {"shake", "still", "wave"}, 5, 64, 3, 5);
       },
       {"--window", "32", "--hop", "16"},
       "sensor folders",
       "cnn1d",
       {"shake", "still", "wave"},
       3 * 1 * 3},  // one recording per class, 3 windows each
  };
}

TEST(CliData, EveryLayoutTrainsEvaluatesAndKeepsItsClassNames) {
  for (const LayoutCase& c : layout_cases()) {
    SCOPED_TRACE(c.name);
    ScratchDir dir;
    const std::string root = dir.path(c.name + "-data"), onnx = dir.path("m.onnx");
    c.make(root);
    const YonoRun trained =
        run_yono(dir, with({"train", "--data", root, "--epochs", "1", "--max-steps", "3", "--batch",
                            "8", "-q", "-o", onnx},
                           c.flags));
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    // The detected layout, one line on stderr.
    EXPECT_EQ(trained.err.rfind("yono: data: " + root + ": " + c.layout, 0), 0u) << trained.err;
    EXPECT_EQ(std::count(trained.err.begin(), trained.err.end(), '\n'), 1) << trained.err;
    const nlohmann::json m = json_file(dir.path("m.json"));
    EXPECT_EQ(m["data"], root);
    EXPECT_EQ(m["layout"], c.layout);
    EXPECT_EQ(m["arch"], c.arch);
    EXPECT_EQ(m["classes"], c.classes);
    EXPECT_EQ(m["test_samples"], c.test_samples);
    // The folder names travel in the ONNX.
    EXPECT_EQ(import_onnx(onnx, "m").class_names, c.classes);

    // Float scoring finds the same test split training scored.
    const YonoRun scored = run_yono(dir, with({"eval", onnx, "--data", root, "--json"}, c.flags));
    ASSERT_EQ(scored.exit_code, 0) << scored.err;
    const nlohmann::json e = nlohmann::json::parse(scored.out);
    EXPECT_EQ(e["engine"], "libtorch-float");
    EXPECT_EQ(e["data"], root);
    EXPECT_EQ(e["classes"], c.classes);
    EXPECT_EQ(e["count"], c.test_samples);
    EXPECT_DOUBLE_EQ(e["accuracy"].get<double>(), m["accuracy"].get<double>());
    EXPECT_EQ(e["confusion"].size(), c.classes.size());

    // And through the runtime, as on the device.
    ASSERT_EQ(run_yono(dir, {"import", onnx, "-o", dir.path("m.yono")}).exit_code, 0);
    const YonoRun ran = run_yono(dir, with({"eval", dir.path("m.yono"), "--data", root}, c.flags));
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
    EXPECT_NE(ran.out.find("top-1"), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("yono runtime"), std::string::npos) << ran.out;
  }
}

TEST(CliData, CompressFinetunesOnAFolderAndChecksTheClasses) {
  ScratchDir dir;
  const std::string root = dir.path("digits"), onnx = dir.path("m.onnx");
  test::make_idx_folder(root, 3, 60, 15, 10, 1);
  ASSERT_EQ(run_yono(dir, {"train", "--data", root, "--epochs", "1", "--max-steps", "2", "-q", "-o",
                           onnx})
                .exit_code,
            0);
  const YonoRun packed =
      run_yono(dir, {"compress", onnx, "--data", "m=" + root, "--max-steps", "2", "--batch", "8",
                     "--threads", "1", "-q", "-o", dir.path("m.yono")});
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  EXPECT_NE(packed.err.find("yono: data: " + root + ": IDX"), std::string::npos) << packed.err;
  EXPECT_TRUE(fs::exists(dir.path("m.yono")));

  expect_user_error(run_yono(dir, {"compress", onnx, "--data", "m=" + root, "--task",
                                   "m=fashion-mnist", "-o", dir.path("x.yono")}),
                    "already has data");
  expect_user_error(run_yono(dir, {"compress", onnx, "--window", "8", "-o", dir.path("x.yono")}),
                    "--data");
  // Same class count, other names: a model scored against the wrong classes
  // would look like noise, so it is refused.
  test::write_text_file(root + "/classes.txt", "a\nb\nc\n");
  expect_user_error(run_yono(dir, {"eval", onnx, "--data", root}), "trained on classes");
  expect_user_error(
      run_yono(dir, {"compress", onnx, "--data", "m=" + root, "-q", "-o", dir.path("x.yono")}),
      "trained on classes");
  EXPECT_FALSE(fs::exists(dir.path("x.yono")));
}

TEST(CliData, MalformedFoldersFailWithOneLineNamingTheFile) {
  ScratchDir dir;
  const std::string onnx = dir.path("x.onnx");
  auto train = [&](const std::string& root, const std::vector<std::string>& flags = {}) {
    return run_yono(dir, with({"train", "--data", root, "-q", "-o", onnx}, flags));
  };

  const std::string empty = dir.path("empty");
  test::make_image_folder(empty, "train", {"a", "b"}, 3, 8, 8, 1, 1);
  fs::create_directories(empty + "/train/c");
  expect_user_error(train(empty), empty + "/train/c: empty class folder");

  const std::string idx = dir.path("idx");
  test::make_idx_folder(idx, 3, 12, 0, 8, 1);
  test::write_text_file(idx + "/classes.txt", "a\nb\n");
  expect_user_error(train(idx), idx + "/train-labels-idx1-ubyte.gz: label 2 at item 2");

  const std::string sizes = dir.path("sizes");
  test::make_image_folder(sizes, "train", {"a", "b"}, 3, 8, 8, 1, 1);
  test::write_png_image(sizes + "/train/b/odd.png", 16, 12, 1, std::vector<uint8_t>(192, 7));
  expect_user_error(train(sizes), sizes + "/train/b/odd.png: image is 16x12, but " + sizes +
                                      "/train/a/0.png is 8x8");

  const std::string rate = dir.path("rate");
  test::make_audio_folder(rate, "train", {"a", "b"}, 3, 8000, 800, 1);
  test::write_wav_clip(rate + "/train/b/fast.wav", 16000, std::vector<short>(1600, 3));
  expect_user_error(train(rate), rate + "/train/b/fast.wav: sample rate 16000 Hz");

  const std::string ragged = dir.path("ragged");
  test::make_sensor_folder(ragged, "", {"a", "b"}, 3, 20, 3, 1);
  test::write_text_file(ragged + "/b/3.csv", "x,y,z\n1,2,3\n4,5\n");
  expect_user_error(train(ragged), ragged + "/b/3.csv:3: ragged row");

  // Flags that do not fit.
  expect_user_error(train(ragged, {"--resize", "8x8"}), "--resize applies to image data");
  expect_user_error(train(sizes, {"--resize", "8by8"}), "--resize 8by8");
  expect_user_error(run_yono(dir, {"train", "--task", "hmp", "--data", ragged, "-o", onnx}),
                    "excludes");
  expect_user_error(run_yono(dir, {"train", "-o", onnx}), "--task or --data");
  // A model that imports, so the data is what fails.
  expect_user_error(run_yono(dir, {"eval", fixture("lenet5.onnx"), "--data", empty}),
                    empty + "/train/c");
  EXPECT_FALSE(fs::exists(onnx));
}

}  // namespace
}  // namespace yono::e2e
