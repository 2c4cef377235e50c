#include "e2e_util.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_input_layouts.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace yono::e2e {
namespace {

std::string shell_quoted(const std::string& arg) {
  std::string q = "'";
  for (const char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string templ = ::testing::TempDir() + "yono_e2e_XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << templ;
  dir_ = templ;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

AlignedPack::AlignedPack(const std::vector<uint8_t>& bytes) : storage(bytes) {
  status = Pack::open(storage.data(), storage.size(), &pack);
}

std::vector<float> fixture_input(const std::string& name) {
  const NpyArray x = read_npy(fixture(name + ".input.npy"));
  const ir::Graph g = import_onnx(fixture(name + ".onnx"), name);
  if (g.input_layouts.empty()) return x.data;
  // The importer's own record of the fold, as `yono run` uses it.
  const ir::Dims& dims = g.tensors[static_cast<size_t>(g.inputs[0])].dims;
  return to_pack_layout(x.data, dims, g.input_layouts[0].perm);
}

std::vector<uint8_t> fixture_pack(const std::vector<std::string>& names, bool pq) {
  std::vector<ir::Graph> graphs;
  for (const std::string& n : names) graphs.push_back(import_onnx(fixture(n + ".onnx"), n));
  if (!pq) return write_pack(graphs);
  const CompressedModels c = compress_models(graphs, CompressOptions{});
  return write_pack(c.models, c.codebooks);
}

std::vector<float> run_in_session(const std::vector<uint8_t>& pack_bytes, const std::string& name,
                                  const std::vector<float>& input) {
  // The runtime wants 16-byte aligned packs and arenas, as they are on device.
  const AlignedPack aligned(pack_bytes);
  const Pack& pack = aligned.pack;
  Status st = aligned.status;
  EXPECT_EQ(st, Status::kOk) << status_string(st);
  if (st != Status::kOk) return {};

  uint32_t model = 0;
  st = pack.find_model(name.c_str(), &model);
  EXPECT_EQ(st, Status::kOk) << name << ": " << status_string(st);
  if (st != Status::kOk) return {};

  AlignedBuffer arena(pack.arena_size(model));
  Session session(pack, arena.data(), arena.size());
  st = session.select(model);
  EXPECT_EQ(st, Status::kOk) << name << ": " << status_string(st);
  if (st != Status::kOk) return {};
  TensorView in = session.input(0);
  EXPECT_NE(in.data, nullptr);
  EXPECT_EQ(in.element_count, input.size()) << name;
  if (in.data == nullptr || in.element_count != input.size()) return {};
  std::copy(input.begin(), input.end(), in.data);
  st = session.invoke();
  EXPECT_EQ(st, Status::kOk) << name << ": " << status_string(st);
  TensorView out = session.output(0);
  EXPECT_NE(out.data, nullptr);
  if (st != Status::kOk || out.data == nullptr) return {};
  return std::vector<float>(out.data, out.data + out.element_count);
}

YonoRun run_yono(const ScratchDir& dir, const std::vector<std::string>& args) {
  std::string cmd = shell_quoted(YONO_CLI_PATH);
  for (const std::string& a : args) cmd += " " + shell_quoted(a);
  cmd +=
      " >" + shell_quoted(dir.path("yono.stdout")) + " 2>" + shell_quoted(dir.path("yono.stderr"));
  const int status = std::system(cmd.c_str());
  YonoRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(dir.path("yono.stdout"));
  r.err = read_text(dir.path("yono.stderr"));
  return r;
}

void expect_refused(const ScratchDir& dir, const std::vector<std::string>& args,
                    const std::string& mention, const std::string& output) {
  const YonoRun r = run_yono(dir, args);
  EXPECT_EQ(r.exit_code, 2) << mention << ": " << r.err;
  EXPECT_EQ(r.err.rfind("yono: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(output)) << mention;
}

float max_abs_error(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return INFINITY;
  float worst = 0.f;
  for (size_t i = 0; i < got.size(); ++i) {
    const float err = std::fabs(got[i] - want[i]);
    if (std::isnan(err)) return NAN;
    worst = std::max(worst, err);
  }
  return worst;
}

}  // namespace yono::e2e
