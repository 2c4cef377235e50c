// `yono compress --codebook` and `yono add` end to end on the PyTorch
// fixtures: models compressed against a pack's frozen codebooks keep those
// codebooks byte for byte; a grown pack keeps every byte of its base but the
// header, runs the base's models exactly as before and the new one exactly
// as a pack of its own would; `inspect --against` reports the delta; bad
// requests are refused in one line without output.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e_util.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/compiler/pack/pack_sizes.h"

namespace yono::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<float> fixture_input(const std::string& model) {
  return read_npy(fixture(model + ".input.npy")).data;
}

// base: lenet5 + sensor_1d with learned codebooks; new: ds_cnn_kws against them.
struct Grown {
  ScratchDir dir;
  std::string base = dir.path("base.yono"), alone = dir.path("alone.yono"),
              grown = dir.path("grown.yono");
};

void make(Grown& g) {
  ASSERT_EQ(run_yono(g.dir, {"compress", fixture("lenet5.onnx"), fixture("sensor_1d.onnx"),
                             "--codebook-dtype", "f16", "--scale-dtype", "f16", "-o", g.base})
                .exit_code,
            0);
  const std::vector<std::string> same = {"--scale-dtype", "f16", "--keep-min-weights", "0"};
  std::vector<std::string> alone = {
      "compress", fixture("ds_cnn_kws.onnx"), "--codebook", g.base, "-o", g.alone};
  std::vector<std::string> add = {"add", g.base, fixture("ds_cnn_kws.onnx"), "-o", g.grown};
  alone.insert(alone.end(), same.begin(), same.end());
  add.insert(add.end(), same.begin(), same.end());
  const YonoRun a = run_yono(g.dir, alone);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const YonoRun r = run_yono(g.dir, add);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("over the air"), std::string::npos) << r.out;
}

TEST(GrowE2e, FrozenCodebooksAreTheBasesByteForByte) {
  Grown g;
  make(g);
  const AlignedPack base(read_file(g.base)), alone(read_file(g.alone));
  ASSERT_EQ(base.status, Status::kOk);
  ASSERT_EQ(alone.status, Status::kOk);
  ASSERT_EQ(alone.pack.codebook_count(), base.pack.codebook_count());
  for (uint32_t c = 0; c < base.pack.codebook_count(); ++c) {
    const CodebookRecord& a = alone.pack.codebooks()[c];
    const CodebookRecord& b = base.pack.codebooks()[c];
    EXPECT_STREQ(alone.pack.codebook_name(c), base.pack.codebook_name(c));
    ASSERT_EQ(a.data_size, b.data_size);
    EXPECT_TRUE(std::equal(alone.pack.codebook_data(a), alone.pack.codebook_data(a) + a.data_size,
                           base.pack.codebook_data(b)))
        << base.pack.codebook_name(c);
  }
}

TEST(GrowE2e, AddKeepsTheBaseAndRunsEveryModelAsBefore) {
  Grown g;
  make(g);
  const std::vector<uint8_t> base_bytes = read_file(g.base), grown_bytes = read_file(g.grown);
  ASSERT_GT(grown_bytes.size(), base_bytes.size());
  size_t last_changed = 0;
  for (size_t i = 0; i < base_bytes.size(); ++i)
    if (base_bytes[i] != grown_bytes[i]) last_changed = i;
  EXPECT_LT(last_changed, 32u) << "only the header may change";

  for (const char* m : {"lenet5", "sensor_1d"})
    EXPECT_EQ(run_in_session(grown_bytes, m, fixture_input(m)),
              run_in_session(base_bytes, m, fixture_input(m)))
        << m;
  EXPECT_EQ(run_in_session(grown_bytes, "ds_cnn_kws", fixture_input("ds_cnn_kws")),
            run_in_session(read_file(g.alone), "ds_cnn_kws", fixture_input("ds_cnn_kws")));

  const YonoRun r = run_yono(g.dir, {"inspect", g.grown, "--against", g.base, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json d = json::parse(r.out);
  EXPECT_TRUE(d["base_sections_kept"].get<bool>());
  EXPECT_EQ(d["appended_bytes"].get<size_t>(), grown_bytes.size() - base_bytes.size());
  ASSERT_EQ(d["models_added"].size(), 1u);
  EXPECT_EQ(d["models_added"][0]["name"], "ds_cnn_kws");
  const size_t own = d["models_added"][0]["own_bytes"].get<size_t>();
  EXPECT_LE(d["delta_bytes"].get<size_t>(), own + 1024);
  ASSERT_EQ(d["changed_runs"].size(), 1u);
  EXPECT_EQ(d["changed_runs"][0]["in_base"], "header");
}

TEST(GrowE2e, BadRequestsAreRefusedWithoutOutput) {
  Grown g;
  make(g);
  const std::string out = g.dir.path("bad.yono");
  const std::string plain = g.dir.path("plain.yono");
  ASSERT_EQ(run_yono(g.dir, {"import", fixture("mlp_softmax.onnx"), "-o", plain}).exit_code, 0);
  struct Bad {
    std::vector<std::string> args;
    std::string mention;
  };
  const std::vector<Bad> bad = {
      {{"add", g.base, fixture("lenet5.onnx"), "-o", out}, "duplicate model name 'lenet5'"},
      {{"add", plain, fixture("ds_cnn_kws.onnx"), "-o", out}, "plain.yono: holds no codebooks"},
      {{"add", g.base, fixture("ds_cnn_kws.onnx"), "-o", g.base}, "base.yono"},
      {{"compress", fixture("ds_cnn_kws.onnx"), "--codebook", g.base, "--finetune", "learned",
        "--task", "ds_cnn_kws=fsdd", "-o", out},
       "--finetune learned"},
      {{"compress", fixture("ds_cnn_kws.onnx"), "--codebook", g.base, "--codewords", "64", "-o",
        out},
       "--codewords"},
      {{"compress", fixture("ds_cnn_kws.onnx"), "--codebook", g.base, "--layer-dim",
        "/stem/stem.0/Conv=5", "-o", out},
       "shared/kxk/d5"},
  };
  const std::vector<uint8_t> base_before = read_file(g.base);
  for (const Bad& b : bad) {
    const YonoRun r = run_yono(g.dir, b.args);
    EXPECT_EQ(r.exit_code, 2) << b.mention << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_NE(r.err.find(b.mention), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << b.mention;
  }
  EXPECT_EQ(read_file(g.base), base_before);
}

}  // namespace
}  // namespace yono::e2e
