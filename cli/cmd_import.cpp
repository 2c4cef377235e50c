// `yono import a.onnx [b.onnx ...] -o out.yono [--name NAME ...]`
// Every model is imported before anything is written, so a bad input never
// leaves a pack behind.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "cli_common.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx_import.h"
#include "yono/compiler/pack_writer.h"

namespace yono::cli {
namespace {

struct ImportOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::vector<std::string> names;
};

int64_t parameter_count(const ir::Graph& g) {
  int64_t count = 0;
  for (const ir::Tensor& t : g.tensors) {
    if (t.is_constant) count += ir::element_count(t.dims);
  }
  return count;
}

void run_import(const ImportOptions& opt) {
  if (!opt.names.empty() && opt.names.size() != opt.inputs.size()) {
    throw Error("--name given " + std::to_string(opt.names.size()) + " times for " +
                std::to_string(opt.inputs.size()) + " models; give one name per model or none");
  }
  std::vector<ir::Graph> graphs;
  std::set<std::string> seen;
  for (size_t i = 0; i < opt.inputs.size(); ++i) {
    const std::string& path = opt.inputs[i];
    const std::string name =
        opt.names.empty() ? std::filesystem::path(path).stem().string() : opt.names[i];
    if (name.empty()) throw Error(path + ": model name is empty");
    if (!seen.insert(name).second) {
      throw Error(path + ": model name '" + name + "' is used twice; choose names with --name");
    }
    graphs.push_back(import_onnx(path, name));
  }

  const std::vector<uint8_t> bytes = write_pack(graphs);
  // Re-read what we are about to write: the summary then reports exactly what
  // the device will see, and a writer bug is caught before a file exists.
  AlignedBuffer copy(bytes.size());
  std::copy(bytes.begin(), bytes.end(), copy.data());
  Pack pack;
  const Status status = Pack::open(copy.data(), copy.size(), &pack);
  if (status != Status::kOk) {
    throw Error(opt.output + ": internal error: written pack does not validate (" +
                status_string(status) + ")");
  }
  write_file_atomic(opt.output, bytes);

  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const ir::Graph& g = graphs[m];
    std::printf("%s: %zu ops, %lld params, arena %u bytes (from %s)\n", pack.model_name(m),
                g.ops.size(), static_cast<long long>(parameter_count(g)), pack.arena_size(m),
                opt.inputs[m].c_str());
  }
  std::printf("wrote %s: %u models, %zu bytes\n", opt.output.c_str(), pack.model_count(),
              bytes.size());
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto opt = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Import ONNX models into one pack");
  cmd->add_option("models", opt->inputs, "ONNX files (opset 11-17)")->required();
  cmd->add_option("-o,--output", opt->output, "Pack file to write")->required();
  cmd->add_option("--name", opt->names,
                  "Model name, once per model in order (default: the file's stem)")
      ->allow_extra_args(false);  // `--name a b.onnx`: b.onnx is a model, not a name
  cmd->callback([opt] { run_import(*opt); });
}

}  // namespace yono::cli
