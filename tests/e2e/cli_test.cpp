// The `yono` binary as a user runs it: import, run, inspect, and the promise
// that every bad input gives exit code 2, one line on stderr naming the
// problem, and no output file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e_util.h"
#include "yono/compiler/io/npy.h"

namespace yono::e2e {
namespace {

namespace fs = std::filesystem;

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

std::string quoted(const std::string& arg) {
  std::string q = "'";
  for (const char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CliResult run_cli(const ScratchDir& dir, const std::vector<std::string>& args) {
  std::string cmd = quoted(YONO_CLI_PATH);
  for (const std::string& a : args) cmd += " " + quoted(a);
  cmd += " >" + quoted(dir.path("stdout.txt")) + " 2>" + quoted(dir.path("stderr.txt"));
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir.path("stdout.txt"));
  r.err = slurp(dir.path("stderr.txt"));
  return r;
}

// The contract for every user error.
void expect_user_error(const CliResult& r, const std::string& must_mention) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("yono: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_NE(r.err.find(must_mention), std::string::npos)
      << "stderr should mention '" << must_mention << "': " << r.err;
}

const std::vector<std::string> kCliModels = {"lenet5", "resnet_small", "sensor_1d"};

std::vector<std::string> import_args(const std::string& pack) {
  std::vector<std::string> args = {"import"};
  for (const std::string& m : kCliModels) args.push_back(fixture(m + ".onnx"));
  args.push_back("-o");
  args.push_back(pack);
  return args;
}

TEST(Cli, ImportThenRunMatchesPyTorch) {
  ScratchDir dir;
  const std::string pack = dir.path("models.yono");
  const CliResult imported = run_cli(dir, import_args(pack));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const std::string& m : kCliModels) {
    EXPECT_NE(imported.out.find(m + ":"), std::string::npos) << imported.out;
  }

  for (const std::string& m : kCliModels) {
    const std::string y = dir.path(m + ".out.npy");
    const CliResult r = run_cli(
        dir, {"run", pack, "--model", m, "--input", fixture(m + ".input.npy"), "--output", y});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const NpyArray got = read_npy(y);
    const NpyArray want = read_npy(fixture(m + ".expected.npy"));
    EXPECT_EQ(got.shape, want.shape) << m;
    EXPECT_LE(max_abs_error(got.data, want.data), kTolerance) << m;
  }
}

TEST(Cli, RunPrintsValuesWithoutOutputFile) {
  ScratchDir dir;
  const std::string pack = dir.path("one.yono");
  ASSERT_EQ(
      run_cli(dir, {"import", fixture("mlp_softmax.onnx"), "-o", pack, "--name", "mlp"}).exit_code,
      0);
  // A single-model pack needs no --model.
  const CliResult r = run_cli(dir, {"run", pack, "--input", fixture("mlp_softmax.input.npy")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<float> got;
  for (float v; lines >> v;) got.push_back(v);
  EXPECT_LE(max_abs_error(got, read_npy(fixture("mlp_softmax.expected.npy")).data), kTolerance);
}

TEST(Cli, InspectJsonDescribesEveryModel) {
  ScratchDir dir;
  const std::string pack = dir.path("models.yono");
  ASSERT_EQ(run_cli(dir, import_args(pack)).exit_code, 0);
  const CliResult r = run_cli(dir, {"inspect", pack, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total_bytes"].get<uint64_t>(), fs::file_size(pack));
  ASSERT_EQ(j["models"].size(), kCliModels.size());
  for (size_t i = 0; i < kCliModels.size(); ++i) {
    const nlohmann::json& m = j["models"][i];
    EXPECT_EQ(m["name"], kCliModels[i]);
    EXPECT_GT(m["arena_bytes"].get<int64_t>(), 0) << kCliModels[i];
    EXPECT_GT(m["layers"].size(), 0u);
    EXPECT_EQ(m["inputs"].size(), 1u);
  }
  const CliResult text = run_cli(dir, {"inspect", pack});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("resnet_small"), std::string::npos);
}

TEST(Cli, NamesApplyToModelsInOrder) {
  ScratchDir dir;
  const std::string pack = dir.path("named.yono");
  // `--name` takes exactly one value, so a model file after it stays a model.
  ASSERT_EQ(run_cli(dir, {"import", fixture("lenet5.onnx"), "--name", "digits",
                          fixture("sensor_1d.onnx"), "--name", "motion", "-o", pack})
                .exit_code,
            0);
  const CliResult r = run_cli(dir, {"inspect", pack, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_EQ(j["models"][0]["name"], "digits");
  EXPECT_EQ(j["models"][1]["name"], "motion");

  const std::string dup = dir.path("dup.yono");
  expect_user_error(run_cli(dir, {"import", fixture("lenet5.onnx"), fixture("sensor_1d.onnx"),
                                  "--name", "same", "--name", "same", "-o", dup}),
                    "'same'");
  EXPECT_FALSE(fs::exists(dup));
}

TEST(Cli, HelpAndVersionExitZero) {
  ScratchDir dir;
  for (const char* cmd :
       {"import", "inspect", "run", "compress", "add", "export-c", "train", "eval"}) {
    const CliResult r = run_cli(dir, {cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find(cmd), std::string::npos) << r.out;
    // Every subcommand's help ends on a runnable example of itself.
    EXPECT_NE(r.out.find("Example"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find(std::string("\n  yono ") + cmd + " "), std::string::npos) << r.out;
  }
  for (const char* cmd : {"mcu", "switch"}) {
    const CliResult r = run_cli(dir, {"bench", cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find(std::string("\n  yono bench ") + cmd + " "), std::string::npos) << r.out;
  }
  EXPECT_EQ(run_cli(dir, {"--version"}).exit_code, 0);
}

TEST(Cli, UnsupportedOpNamesNodeAndLeavesNoPack) {
  ScratchDir dir;
  const std::string pack = dir.path("bad.yono");
  const CliResult r =
      run_cli(dir, {"import", fixture("lenet5.onnx"), fixture("unsupported_op.onnx"), "-o", pack});
  expect_user_error(r, "unsupported_op.onnx");
  EXPECT_NE(r.err.find("/Erf"), std::string::npos) << r.err;  // the node
  EXPECT_NE(r.err.find("Erf"), std::string::npos) << r.err;   // its op type
  EXPECT_FALSE(fs::exists(pack));
}

TEST(Cli, MissingInputFile) {
  ScratchDir dir;
  const std::string pack = dir.path("out.yono");
  expect_user_error(run_cli(dir, {"import", dir.path("nothere.onnx"), "-o", pack}), "nothere.onnx");
  EXPECT_FALSE(fs::exists(pack));

  ASSERT_EQ(run_cli(dir, {"import", fixture("lenet5.onnx"), "-o", pack}).exit_code, 0);
  const std::string y = dir.path("y.npy");
  expect_user_error(run_cli(dir, {"run", pack, "--input", dir.path("nothere.npy"), "-o", y}),
                    "nothere.npy");
  EXPECT_FALSE(fs::exists(y));
}

TEST(Cli, UnknownFlag) {
  ScratchDir dir;
  expect_user_error(run_cli(dir, {"import", "--bogus"}), "--bogus");
}

TEST(Cli, TruncatedPack) {
  ScratchDir dir;
  const std::string pack = dir.path("models.yono");
  ASSERT_EQ(run_cli(dir, import_args(pack)).exit_code, 0);
  const std::string cut = dir.path("cut.yono");
  fs::copy_file(pack, cut);
  fs::resize_file(cut, fs::file_size(pack) / 2);

  expect_user_error(run_cli(dir, {"inspect", cut}), "cut.yono");
  const std::string y = dir.path("y.npy");
  expect_user_error(run_cli(dir, {"run", cut, "--model", "lenet5", "--input",
                                  fixture("lenet5.input.npy"), "--output", y}),
                    "cut.yono");
  EXPECT_FALSE(fs::exists(y));
}

TEST(Cli, WrongInputElementCount) {
  ScratchDir dir;
  const std::string pack = dir.path("models.yono");
  ASSERT_EQ(run_cli(dir, import_args(pack)).exit_code, 0);
  const std::string y = dir.path("y.npy");
  // sensor_1d wants 3x96 values; lenet5's input has 784.
  const CliResult r = run_cli(dir, {"run", pack, "--model", "sensor_1d", "--input",
                                    fixture("lenet5.input.npy"), "--output", y});
  expect_user_error(r, "lenet5.input.npy");
  EXPECT_NE(r.err.find("784"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("288"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(y));
}

TEST(Cli, SeveralModelsNeedModelFlag) {
  ScratchDir dir;
  const std::string pack = dir.path("models.yono");
  ASSERT_EQ(run_cli(dir, import_args(pack)).exit_code, 0);
  const CliResult r = run_cli(dir, {"run", pack, "--input", fixture("lenet5.input.npy")});
  expect_user_error(r, "--model");
  EXPECT_NE(r.err.find("resnet_small"), std::string::npos) << "lists the models: " << r.err;
  expect_user_error(
      run_cli(dir, {"run", pack, "--model", "nope", "--input", fixture("lenet5.input.npy")}),
      "nope");
}

TEST(Cli, OutputDirectoryMissing) {
  ScratchDir dir;
  const std::string pack = dir.path("no/such/dir/out.yono");
  expect_user_error(run_cli(dir, {"import", fixture("lenet5.onnx"), "-o", pack}), "out.yono");
  EXPECT_FALSE(fs::exists(dir.path("no")));
}

}  // namespace
}  // namespace yono::e2e
