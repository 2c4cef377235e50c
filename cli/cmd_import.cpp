// `yono import a.onnx [b.onnx ...] -o out.yono [--name NAME ...]`
// Every model is imported before anything is written, so a bad input never
// leaves a pack behind.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_writer.h"

namespace yono::cli {
namespace {

struct ImportOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::vector<std::string> names;
  bool keep_names = false;
  OnnxImportOptions import;
};

void run_import(const ImportOptions& opt) {
  check_outputs_distinct(opt.inputs, {opt.output});
  const std::vector<ir::Graph> graphs = import_onnx_models(opt.inputs, opt.names, opt.import);
  const std::vector<uint8_t> bytes = write_pack(graphs, {}, {opt.keep_names});
  const std::unique_ptr<LoadedPack> written = check_written_pack(opt.output, bytes);
  const Pack& pack = written->pack;
  write_file_atomic(opt.output, bytes);

  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const ir::Graph& g = graphs[m];
    std::printf("%s: %zu ops, %lld params, arena %u bytes (from %s)\n", pack.model_name(m),
                g.ops.size(), static_cast<long long>(ir::parameter_count(g)), pack.arena_size(m),
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
  cmd->add_flag("--keep-names", opt->keep_names,
                "Store every tensor's name (default: only model and model input/output names)");
  add_allow_nonfinite_flag(cmd, &opt->import.allow_nonfinite);
  cmd->callback([opt] { run_import(*opt); });
}

}  // namespace yono::cli
