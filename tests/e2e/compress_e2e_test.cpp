// `yono compress` end to end: every PyTorch fixture compressed into one pack
// runs on the device runtime straight from codes and matches the float
// runtime on the decoded weights; inspect reports sizes and ratios; output
// is reproducible; bad input is refused without leaving a file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <variant>

#include "e2e_util.h"
#include "yono/compiler/compress/compress.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_writer.h"

namespace yono::e2e {
namespace {

namespace fs = std::filesystem;

constexpr float kDecodedTolerance = 1e-5f;

std::vector<std::string> compress_args(const std::vector<std::string>& models,
                                       const std::string& pack) {
  std::vector<std::string> args = {"compress"};
  for (const std::string& m : models) args.push_back(fixture(m + ".onnx"));
  args.push_back("-o");
  args.push_back(pack);
  return args;
}

std::vector<ir::Graph> import_fixtures(const std::vector<std::string>& names) {
  std::vector<ir::Graph> graphs;
  for (const std::string& n : names) graphs.push_back(import_onnx(fixture(n + ".onnx"), n));
  return graphs;
}

// The reference: the same graphs with every weight stored as its decoded
// float32 values (a v1 pack run by the float kernels).
std::vector<uint8_t> decoded_float_pack(std::vector<ir::Graph> graphs) {
  for (ir::Graph& g : graphs) {
    for (ir::Tensor& t : g.tensors) {
      t.encoding = std::monostate{};
      t.stored = ir::FloatDType::kF32;
    }
  }
  return write_pack(graphs);
}

// Runs every model of `pack` and of its decoded float twin on the fixture
// input; returns the worst deviation from PyTorch, for information.
void expect_runs_like_decoded_floats(const std::vector<uint8_t>& pack, const CompressedModels& c,
                                     const std::string& label) {
  const std::vector<uint8_t> reference = decoded_float_pack(c.models);
  for (const ir::Graph& g : c.models) {
    const std::vector<float> x = read_npy(fixture(g.name + ".input.npy")).data;
    const std::vector<float> got = run_in_session(pack, g.name, x);
    const std::vector<float> want = run_in_session(reference, g.name, x);
    ASSERT_FALSE(got.empty()) << label << " " << g.name;
    EXPECT_LE(max_abs_error(got, want), kDecodedTolerance) << label << " " << g.name;
    const float vs_torch = max_abs_error(got, read_npy(fixture(g.name + ".expected.npy")).data);
    std::printf("[  INFO    ] %s %s: max abs error vs PyTorch %.3g (compression, not asserted)\n",
                label.c_str(), g.name.c_str(), static_cast<double>(vs_torch));
  }
}

TEST(CompressE2e, AllFixturesInOnePackRunLikeTheirDecodedWeights) {
  ScratchDir dir;
  const std::string pack = dir.path("all.yono");
  const YonoRun r = run_yono(dir, compress_args(fixture_names(), pack));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& m : fixture_names()) {  // one table row per model
    EXPECT_NE(r.out.find("\n" + m + " "), std::string::npos) << r.out;
  }
  const std::vector<uint8_t> bytes = read_file(pack);

  // The library with the CLI's defaults must produce exactly the CLI's pack,
  // so its decoded weights are the reference for the file.
  const CompressedModels c = compress_models(import_fixtures(fixture_names()), CompressOptions{});
  ASSERT_EQ(write_pack(c.models, c.codebooks), bytes);
  EXPECT_EQ(c.codebooks.size(), 2u);  // per-group default: kxk and pointwise
  expect_runs_like_decoded_floats(bytes, c, "default");
}

// Every method and codebook mode through the runtime, including depthwise
// and 1-D convs as PQ (keep-min-weights 0), f16 and i8 codebooks, f16
// scales and biases.
TEST(CompressE2e, MethodsAndModesRunLikeTheirDecodedWeights) {
  // reduce_matmul's MatMul runs as a 1x1 conv: its weights take every
  // encoding too, as does tcn_last_step around its gathers.
  const std::vector<std::string> models = {"ds_cnn_kws",   "sensor_1d",     "lenet5",
                                           "resnet_small", "reduce_matmul", "tcn_last_step"};
  struct Case {
    const char* label;
    CompressOptions o;
  };
  std::vector<Case> cases;
  CompressOptions base;
  base.keep_min_weights = 0;
  Case shared{"shared-i8-K16", base};
  shared.o.sharing = CodebookSharing::kShared;
  shared.o.codebook_dtype = ir::CodebookDType::kI8;
  shared.o.codewords.all = 16;
  cases.push_back(shared);
  Case per_model{"per-model-f16-K1024", base};
  per_model.o.sharing = CodebookSharing::kPerModel;
  per_model.o.codebook_dtype = ir::CodebookDType::kF16;
  per_model.o.codewords.all = 1024;
  per_model.o.dim.per_group[LayerGroup::kPointwise] = 8;
  per_model.o.scale_dtype = ir::ScaleDType::kF16;
  per_model.o.bias_dtype = ir::FloatDType::kF16;
  cases.push_back(per_model);
  Case int8{"int8", base};
  int8.o.method = CompressMethod::kInt8;
  cases.push_back(int8);
  Case int8_f16{"int8-f16-scales", base};
  int8_f16.o.method = CompressMethod::kInt8;
  int8_f16.o.scale_dtype = ir::ScaleDType::kF16;
  int8_f16.o.bias_dtype = ir::FloatDType::kF16;
  cases.push_back(int8_f16);
  Case scalar{"kmeans-scalar", base};
  scalar.o.method = CompressMethod::kKmeansScalar;
  cases.push_back(scalar);
  Case kept_f32{"keep-f32", CompressOptions{}};
  kept_f32.o.keep_dtype = KeepDType::kF32;
  kept_f32.o.keep_first = true;
  cases.push_back(kept_f32);

  for (const Case& k : cases) {
    const CompressedModels c = compress_models(import_fixtures(models), k.o);
    expect_runs_like_decoded_floats(write_pack(c.models, c.codebooks), c, k.label);
  }
}

TEST(CompressE2e, InspectReportsSizesAndRatios) {
  ScratchDir dir;
  const std::string pack = dir.path("all.yono");
  ASSERT_EQ(run_yono(dir, compress_args(fixture_names(), pack)).exit_code, 0);

  const YonoRun text = run_yono(dir, {"inspect", pack});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* must : {"vs float32", "vs int8", "shared/kxk", "pq K=256 D=9", "int8"}) {
    EXPECT_NE(text.out.find(must), std::string::npos) << must;
  }

  const YonoRun js = run_yono(dir, {"inspect", pack, "--json"});
  ASSERT_EQ(js.exit_code, 0) << js.err;
  const nlohmann::json j = nlohmann::json::parse(js.out);
  const uint64_t file_bytes = fs::file_size(pack);
  EXPECT_EQ(j["size"]["bytes"].get<uint64_t>(), file_bytes);
  EXPECT_EQ(j["format_version"].get<int>(), 2);
  ASSERT_EQ(j["codebooks"].size(), 2u);
  uint64_t codebook_bytes = 0, model_bytes = 0;
  for (const auto& cb : j["codebooks"]) {
    EXPECT_EQ(cb["K"].get<uint32_t>(), 256u);
    // f32 values at least; record and name on top.
    EXPECT_GE(cb["bytes"].get<uint64_t>(), 256u * cb["D"].get<uint64_t>() * 4);
    codebook_bytes += cb["bytes"].get<uint64_t>();
  }
  double shares = 0;
  uint64_t codes = 0;
  for (const auto& m : j["models"]) {
    const auto& size = m["size"];
    model_bytes += size["bytes"].get<uint64_t>();
    // The split of a model's own bytes adds up to them; codebook shares are
    // on top and add up to the codebooks' bytes.
    const auto& split = size["split"];
    EXPECT_EQ(split["code_bytes"].get<uint64_t>() + split["plain_weight_bytes"].get<uint64_t>() +
                  split["scale_bias_bytes"].get<uint64_t>() +
                  split["metadata_bytes"].get<uint64_t>(),
              size["bytes"].get<uint64_t>())
        << m["name"];
    shares += split["codebook_share_bytes"].get<double>();
    codes += split["code_bytes"].get<uint64_t>();
  }
  EXPECT_GT(codes, 0u);
  EXPECT_NEAR(shares, static_cast<double>(codebook_bytes), 1e-6);
  // Models and codebooks account for nearly the whole file (the rest is
  // header, section table and alignment; shared names are counted per model).
  EXPECT_LE(codebook_bytes + model_bytes, file_bytes + 2048);
  EXPECT_GE(codebook_bytes + model_bytes + 2048, file_bytes);

  // With codebooks counted, quantization must still beat float32 and int8 overall.
  const double vs_f32 = j["size"]["ratio_vs_f32"].get<double>();
  const double vs_int8 = j["size"]["ratio_vs_int8"].get<double>();
  EXPECT_GT(vs_f32, 2.0);
  EXPECT_GT(vs_int8, 1.0);
  EXPECT_NEAR(vs_f32, j["size"]["bytes_if_f32"].get<double>() / file_bytes, 1e-9);
  std::printf("[  INFO    ] fixture pack: %llu bytes, %.2fx vs float32, %.2fx vs int8\n",
              static_cast<unsigned long long>(file_bytes), vs_f32, vs_int8);

  // A float-only pack is its own float32 baseline.
  const std::string v1 = dir.path("float.yono");
  ASSERT_EQ(run_yono(dir, {"import", fixture("lenet5.onnx"), "-o", v1}).exit_code, 0);
  const nlohmann::json f = nlohmann::json::parse(run_yono(dir, {"inspect", v1, "--json"}).out);
  EXPECT_DOUBLE_EQ(f["size"]["ratio_vs_f32"].get<double>(), 1.0);
  EXPECT_LT(f["size"]["ratio_vs_int8"].get<double>(), 1.0);
}

TEST(CompressE2e, SameCommandTwiceGivesIdenticalPacks) {
  ScratchDir dir;
  const std::vector<std::string> models = {"lenet5", "ds_cnn_kws", "sensor_1d"};
  std::vector<std::string> a = compress_args(models, dir.path("a.yono"));
  std::vector<std::string> b = compress_args(models, dir.path("b.yono"));
  for (auto* args : {&a, &b}) {
    for (const char* extra : {"--codebook-dtype", "i8", "--scale-dtype", "f16", "--bias-dtype",
                              "f16", "--keep-min-weights", "0", "--seed", "7"}) {
      args->push_back(extra);
    }
    ASSERT_EQ(run_yono(dir, *args).exit_code, 0);
  }
  EXPECT_EQ(read_file(dir.path("a.yono")), read_file(dir.path("b.yono")));
}

TEST(CompressE2e, MalformedInputIsRefusedWithoutOutput) {
  ScratchDir dir;
  const std::string out = dir.path("bad.yono");
  const std::vector<std::string> two = {"lenet5", "sensor_1d"};
  struct Bad {
    std::vector<std::string> args;
    std::string mention;
  };
  std::vector<Bad> bad = {
      {compress_args(two, out), "--codewords 1"},
      {compress_args(two, out), "--dim 0"},
      {compress_args(two, out), "--dim 100000"},
      {compress_args(two, out), "'/conv2/Conv' of model lenet5"},
      {compress_args(two, out), "--method"},
      {{"compress", "-o", out}, "models"},
      {compress_args({"unsupported_op"}, out), "unsupported_op.onnx"},
      {compress_args({"no_such_model"}, out), "no_such_model.onnx"},
  };
  bad[0].args.insert(bad[0].args.end(), {"--codewords", "1"});
  bad[1].args.insert(bad[1].args.end(), {"--dim", "0"});
  bad[2].args.insert(bad[2].args.end(), {"--dim", "100000"});
  bad[3].args.insert(bad[3].args.end(), {"--dim", "kxk=200", "--keep-min-weights", "0"});
  bad[4].args.insert(bad[4].args.end(), {"--method", "int8", "--codebooks", "shared"});
  for (const Bad& b : bad) expect_refused(dir, b.args, b.mention, out);
}

}  // namespace
}  // namespace yono::e2e
