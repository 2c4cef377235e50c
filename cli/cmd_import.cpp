// `yono import a.onnx [b.onnx ...] -o out.yono [--name NAME ...]`,
// `yono import --explain a.onnx ...`, `yono import --list-ops`.
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
  bool explain = false;
  bool list_ops = false;
  OnnxImportOptions import;
};

// Every refused node of every file, not only the first; for an accepted
// file, what the import folded away. Exit 2 if any file is refused.
void run_explain(const ImportOptions& opt) {
  size_t refused = 0;
  for (const std::string& path : opt.inputs) {
    const ImportExplanation e = explain_onnx_import(path, opt.import);
    if (!e.refusals.empty()) {
      ++refused;
      std::printf("%s: refused: %zu node%s cannot be imported\n", path.c_str(), e.refusals.size(),
                  e.refusals.size() == 1 ? "" : "s");
      for (const std::string& r : e.refusals) std::printf("  %s\n", r.c_str());
      continue;
    }
    std::printf("%s: imports: %zu ONNX nodes -> %zu ops\n", path.c_str(), e.nodes, e.ops);
    for (const std::string& n : e.notes) std::printf("  %s\n", n.c_str());
  }
  if (refused > 0)
    throw Error(std::to_string(refused) + " of " + std::to_string(opt.inputs.size()) + " model" +
                (opt.inputs.size() == 1 ? "" : "s") + " cannot be imported (listed above)");
}

void run_import(const ImportOptions& opt) {
  if (opt.list_ops) {
    if (!opt.inputs.empty()) throw Error("--list-ops takes no models");
    std::fputs(supported_ops_markdown().c_str(), stdout);
    return;
  }
  if (opt.inputs.empty()) throw Error("import: no ONNX model given");
  if (opt.explain) {
    run_explain(opt);
    return;
  }
  if (opt.output.empty()) throw Error("import: --output is required");
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
  cmd->footer("Example:\n  yono import a.onnx b.onnx -o ab.yono   # float32, one arena for both");
  cmd->add_option("models", opt->inputs, "ONNX files (opset 11-17)");
  cmd->add_option("-o,--output", opt->output, "Pack file to write (required unless --explain)");
  cmd->add_flag("--explain", opt->explain,
                "Write nothing; list every node that cannot be imported and why, or for an "
                "accepted model the folds applied");
  cmd->add_flag("--list-ops", opt->list_ops,
                "Print the supported ONNX ops with their opsets and limits (docs/onnx-ops.md)");
  cmd->add_flag(
      "--keep-input-layout", [opt](int64_t) { opt->import.fold_input_transposes = false; },
      "Keep a channels-last input as it is (a gather permutes it on the device) instead "
      "of folding its Transpose into the input");
  cmd->add_option("--name", opt->names,
                  "Model name, once per model in order (default: the file's stem)")
      ->allow_extra_args(false);  // `--name a b.onnx`: b.onnx is a model, not a name
  cmd->add_flag("--keep-names", opt->keep_names,
                "Store every tensor's name (default: only model and model input/output names)");
  add_allow_nonfinite_flag(cmd, &opt->import.allow_nonfinite);
  cmd->callback([opt] { run_import(*opt); });
}

}  // namespace yono::cli
