// `yono compress --activations int8` end to end: every fixture, calibrated on
// its committed input, runs through the runtime close to what PyTorch
// computed; the CLI refuses what it cannot do with one line and no output.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e_util.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/npy.h"

namespace yono::e2e {
namespace {

std::vector<std::string> int8_args(const std::vector<std::string>& names, const std::string& out) {
  std::vector<std::string> args = {"compress"};
  for (const std::string& n : names) args.push_back(fixture(n + ".onnx"));
  args.insert(args.end(), {"--method", "int8", "--activations", "int8", "-o", out});
  for (const std::string& n : names) {
    args.push_back("--calib");
    args.push_back(n + "=" + fixture(n + ".input.npy"));
  }
  return args;
}

// Int8 activations and weights stay within a few quantization steps of the
// float model: measured 0.1-0.7% of the output range; 2% (5 steps of
// 1/255) is the bound.
TEST(Int8E2e, EveryFixtureRunsCloseToPyTorch) {
  ScratchDir dir;
  const std::string out = dir.path("fixtures-i8.yono");
  const YonoRun r = run_yono(dir, int8_args(fixture_names(), out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("int8 activations: lenet5: 10 ops in int8"), std::string::npos) << r.out;
  const std::vector<uint8_t> pack = read_file(out);
  for (const std::string& name : fixture_names()) {
    const NpyArray want = read_npy(fixture(name + ".expected.npy"));
    const std::vector<float> got = run_in_session(pack, name, fixture_input(name));
    float lo = 0, hi = 0;
    for (float v : want.data) lo = std::min(lo, v), hi = std::max(hi, v);
    EXPECT_LE(max_abs_error(got, want.data), 0.02f * (hi - lo) + 1e-3f) << name;
  }
}

TEST(Int8E2e, SameCommandTwiceGivesIdenticalPacks) {
  ScratchDir dir;
  const std::vector<std::string> names = {"resnet_small", "ds_cnn_kws"};
  ASSERT_EQ(run_yono(dir, int8_args(names, dir.path("a.yono"))).exit_code, 0);
  ASSERT_EQ(run_yono(dir, int8_args(names, dir.path("b.yono"))).exit_code, 0);
  EXPECT_EQ(read_file(dir.path("a.yono")), read_file(dir.path("b.yono")));
}

TEST(Int8E2e, BadOptionsAreRefusedWithoutOutput) {
  ScratchDir dir;
  const std::string out = dir.path("bad.yono");
  const std::string lenet = fixture("lenet5.onnx");
  const std::string input = fixture("lenet5.input.npy");
  const std::string other = fixture("sensor_1d.input.npy");
  struct Bad {
    std::vector<std::string> args;
    std::string mention;
  };
  const std::vector<Bad> bad = {
      {{"compress", lenet, "--calib", "lenet5=" + input, "-o", out}, "--activations int8"},
      {{"compress", lenet, "--activations", "int8", "--calib", "lenet5", "-o", out},
       "MODEL=FILE.npy"},
      {{"compress", lenet, "--activations", "int8", "--calib", "nope=" + input, "-o", out},
       "no model named nope"},
      {{"compress", lenet, "--activations", "int8", "-o", out}, "model 'lenet5'"},
      {{"compress", lenet, "--activations", "int8", "--calib", "lenet5=" + other, "-o", out},
       "sensor_1d.input.npy"},
      {{"compress", lenet, "--activations", "int4", "-o", out}, "--activations"},
  };
  for (const Bad& b : bad) expect_refused(dir, b.args, b.mention, out);
}

}  // namespace
}  // namespace yono::e2e
