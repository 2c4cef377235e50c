#include "report_sources.h"

#include <filesystem>

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/compiler/pack/pack_description.h"

namespace yono::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file(path);
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error(path + ": not JSON");
  return j;
}

// An eval names the pack it measured as given on its command line: as is,
// or relative to the directory the JSON sits in.
std::string evaluated_file(const std::string& eval_path, const std::string& file) {
  if (fs::exists(file)) return file;
  const fs::path beside = fs::path(eval_path).parent_path() / file;
  if (fs::exists(beside)) return beside.string();
  throw Error(eval_path + ": the evaluated file " + file +
              " is not found (as is or beside the JSON)");
}

Eval read_eval(const std::string& path) {
  const json j = read_json(path);
  const bool shaped = j.is_object() && j.contains("accuracy") && j.contains("confusion") &&
                      j.contains("classes") && j.contains("file");
  if (!shaped) throw Error(path + ": not a `yono eval --json` result");
  Eval e;
  e.source = path;
  e.result = j;
  e.model = j.value("model", j.value("task", std::string()));
  if (e.model.empty()) throw Error(path + ": names neither a model nor a task");
  const std::string file = evaluated_file(path, j["file"].get<std::string>());
  e.variant = fs::path(file).stem().string();
  e.file = fs::weakly_canonical(file).string();
  if (j.value("engine", "") == "libtorch-float") {
    e.pack_ratio_vs_f32 = 1.0;  // an ONNX model is its own float32 baseline
  } else {
    const auto loaded = load_pack(file);
    e.pack_ratio_vs_f32 = describe_pack(file, loaded->pack)["size"]["ratio_vs_f32"].get<double>();
  }
  return e;
}

bool is_sweep_runs(const json& j) {
  if (!j.is_array() || j.empty()) return false;
  for (const json& run : j)
    if (!run.is_object() || !run.contains("name") || !run.contains("test_accuracy")) return false;
  return true;
}

// The sweep's runs: bench/compress-sweep writes them as an array;
// `scripts/bench-tables --adopt` keeps them under "runs" beside the command,
// commit and machine (docs/bench/compress-sweep.json). Null when neither.
json sweep_runs(const json& j) {
  if (is_sweep_runs(j)) return j;
  if (j.is_object() && j.contains("runs") && is_sweep_runs(j["runs"])) return j["runs"];
  return nullptr;
}

bool is_peer(const json& j) {
  return j.is_object() && j.contains("layers") && j["layers"].is_array() && !j["layers"].empty() &&
         j["layers"][0].contains("instructions");
}

void add_bench(Sources& s, const std::string& path) {
  const json j = read_json(path);
  auto once = [&](json& slot, const char* kind, const json& value) {
    if (!slot.is_null()) throw Error(path + ": a second " + kind + " JSON (give one)");
    slot = value;
  };
  if (j.is_object() && j.contains("firmware") && j["firmware"].is_array()) {
    for (const json& fw : j["firmware"]) s.firmware.push_back(fw);
  } else if (j.is_object() && j.contains("host_measured") && j.contains("mcu_model")) {
    once(s.switch_bench, "`yono bench switch`", j);
  } else if (is_peer(j)) {
    once(s.peer, "bench-peer", j);
  } else if (const json runs = sweep_runs(j); !runs.is_null()) {
    once(s.sweep, "compress-sweep", runs);
  } else {
    throw Error(path +
                ": not a bench JSON the report knows (yono bench mcu, yono bench switch, "
                "./run bench-peer or bench/compress-sweep)");
  }
}

}  // namespace

std::vector<const Eval*> own_evals(const Sources& s) {
  std::vector<const Eval*> own;
  for (const Eval& e : s.evals)
    if (e.file == s.pack_file) own.push_back(&e);
  return own;
}

Sources load_sources(const Inputs& in) {
  Sources s;
  s.pack_path = in.pack;
  s.pack_file = fs::weakly_canonical(in.pack).string();
  const auto loaded = load_pack(in.pack);
  s.pack = describe_pack(in.pack, loaded->pack);
  s.files.push_back(in.pack);
  for (const std::string& path : in.evals) {
    s.evals.push_back(read_eval(path));
    s.files.push_back(path);
  }
  for (const std::string& path : in.bench) {
    add_bench(s, path);
    s.files.push_back(path);
  }
  return s;
}

}  // namespace yono::report
