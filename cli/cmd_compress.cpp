// `yono compress a.onnx b.onnx ... -o pack.yono [options]`: imports the
// models, quantizes them together (compress.h) and writes one pack. Like
// import, nothing is written unless every step succeeded.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <memory>

#include "cli_common.h"
#include "compress_finetune.h"
#include "compress_int8.h"
#include "yono/compiler/compress/compress.h"
#include "yono/compiler/compress/compress_report.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_sizes.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/compiler/train/activation_assign.h"
#include "yono/compiler/train/budget_search.h"

namespace yono::cli {
namespace {

struct CompressArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::vector<std::string> names;
  OnnxImportOptions import;
  std::string method = "pq";
  std::string codebooks = "per-group";
  std::vector<std::string> dims, codewords, keep_layers, layer_dims;
  std::string codebook_dtype = "f32";
  std::string scale_dtype = "f32";
  std::string bias_dtype = "f32";
  std::string keep_dtype = "int8";
  uint64_t seed = 0;
  uint32_t bits = 4;
  int64_t keep_min_weights = kDefaultKeepMinWeights;
  bool keep_first = false, keep_last = false;
  bool keep_names = false;
  std::string report;              // --report FILE.json
  uint64_t flash_budget = 0;       // --flash-budget BYTES; 0 = no search
  double max_loss = -1;            // --max-loss PP; < 0 = no search
  std::string assign = "weights";  // --assign weights|activations
  std::string base;                // --codebook BASE.yono (or add's BASE): its codebooks, frozen
  bool grow = false;               // `yono add`: append to base instead of a pack of its own
  // Set after parsing: which options the user gave, to refuse ones the
  // chosen method would silently ignore.
  bool gave_codebooks = false, gave_bits = false, gave_dtype = false;
  FinetuneArgs finetune;
  Int8Args int8;
};

CompressOptions to_options(const CompressArgs& a) {
  CompressOptions o;
  const std::map<std::string, CompressMethod> methods = {
      {"pq", CompressMethod::kPq},
      {"int8", CompressMethod::kInt8},
      {"kmeans-scalar", CompressMethod::kKmeansScalar}};
  const std::map<std::string, CodebookSharing> sharing = {
      {"shared", CodebookSharing::kShared},
      {"per-group", CodebookSharing::kPerGroup},
      {"per-model", CodebookSharing::kPerModel}};
  const std::map<std::string, ir::CodebookDType> dtypes = {{"f32", ir::CodebookDType::kF32},
                                                           {"f16", ir::CodebookDType::kF16},
                                                           {"i8", ir::CodebookDType::kI8}};
  o.method = methods.at(a.method);  // CLI11 already checked membership
  o.sharing = sharing.at(a.codebooks);
  o.codebook_dtype = dtypes.at(a.codebook_dtype);
  o.scale_dtype = a.scale_dtype == "f16" ? ir::ScaleDType::kF16 : ir::ScaleDType::kF32;
  o.bias_dtype = a.bias_dtype == "f16" ? ir::FloatDType::kF16 : ir::FloatDType::kF32;
  o.keep_dtype = a.keep_dtype == "f32" ? KeepDType::kF32 : KeepDType::kInt8;
  o.dim = parse_group_values(a.dims, "--dim");
  o.codewords = parse_group_values(a.codewords, "--codewords");
  o.seed = a.seed;
  o.bits = a.bits;
  o.keep_min_weights = a.keep_min_weights;
  o.keep_layers = a.keep_layers;
  o.layer_dims = parse_layer_dims(a.layer_dims);
  o.keep_first = a.keep_first;
  o.keep_last = a.keep_last;
  if (o.method != CompressMethod::kPq && a.gave_codebooks) {
    throw Error("--codebooks applies to --method pq only");
  }
  if (o.method != CompressMethod::kKmeansScalar && a.gave_bits) {
    throw Error("--bits applies to --method kmeans-scalar only");
  }
  if (o.method == CompressMethod::kInt8 && a.gave_dtype) {
    throw Error("--codebook-dtype does not apply to --method int8, which has no codebook");
  }
  return o;
}

// --codebook / add: the base pack's codebooks become the options' frozen
// list, and fine-tuning defaults to (and must be) a mode that leaves them
// alone. Returns the base pack (null without one).
std::unique_ptr<LoadedPack> use_frozen_codebooks(CompressArgs& args, CompressOptions& options) {
  if (args.base.empty()) return nullptr;
  const std::string from = (args.grow ? "" : "--codebook ") + args.base;
  if (args.gave_dtype) throw Error(from + ": the codebooks keep their stored dtype");
  if (args.max_loss >= 0 || args.flash_budget > 0)
    throw Error(from +
                ": --max-loss and --flash-budget search codebook settings; frozen "
                "codebooks have none to search");
  if (args.finetune.mode == "learned") {
    if (args.finetune.gave_mode)
      throw Error(from + ": --finetune learned trains the codewords; use yono (frozen) or none");
    args.finetune.mode = "yono";
  }
  std::unique_ptr<LoadedPack> base = load_pack(args.base);
  options.frozen_codebooks = read_codebooks(base->pack);
  options.frozen_source = args.base;
  if (options.frozen_codebooks.empty())
    throw Error(args.base +
                ": holds no codebooks (a float or int8 pack); nothing to compress "
                "against");
  return base;
}

void run_compress(CompressArgs args) {
  CompressOptions options = to_options(args);  // option errors before slow imports
  std::vector<std::string> inputs = args.inputs;
  if (!args.base.empty()) inputs.push_back(args.base);
  check_outputs_distinct(inputs, {args.output, args.report, args.finetune.sensitivity_json});
  const std::unique_ptr<LoadedPack> base = use_frozen_codebooks(args, options);
  if (args.max_loss >= 0 && args.flash_budget > 0)
    throw Error("--max-loss and --flash-budget are two goals; give one");
  if (args.max_loss >= 0 && args.assign == "activations")
    throw Error(
        "--assign activations does not combine with --max-loss, whose candidates are "
        "fine-tuned in weight space");
  const std::vector<ir::Graph> imported = import_onnx_models(args.inputs, args.names, args.import);
  check_int8_args(args.int8, imported);
  // Task data is loaded (and checked against the models) before the slow steps.
  const train::FinetuneData tasks = load_finetune_data(args.finetune, imported, args.inputs);
  CompressReport report;
  report.pack_file = args.output;
  report.command = command_line();
  for (size_t m = 0; m < imported.size(); ++m)
    report.models.push_back({imported[m].name, args.inputs[m], "", float32_bytes(imported[m])});
  if (args.max_loss >= 0 && !tasks.any())
    throw Error(
        "--max-loss needs a --task MODEL=TASK or --data MODEL=DIR: accuracy is measured on its "
        "validation split");
  CompressedModels c;
  bool tuned = false;
  if (args.max_loss >= 0) {
    const train::FinetuneOptions o = finetune_options(args.finetune, args.seed);
    train::LossSearch s = train::meet_max_loss(imported, options, args.max_loss / 100.0,
                                               {args.keep_names}, finetune_tasks(tasks), o);
    add_finetune_outcome(report, s.result, tasks, args.finetune, o);
    c = std::move(s.result.compressed);
    report.search_goal = "--max-loss " + fmt::format("{:g}", args.max_loss);
    report.search = std::move(s.steps);
    tuned = true;
  } else if (args.flash_budget > 0) {
    train::BudgetSearch s = train::fit_flash_budget(
        imported, options, args.flash_budget, {args.keep_names}, tasks.validation_sets(),
        args.finetune.options.threads, !args.finetune.quiet);
    c = std::move(s.compressed);
    report.search_goal = "--flash-budget " + std::to_string(args.flash_budget);
    report.search = std::move(s.steps);
  } else {
    c = compress_models(imported, options);
  }
  if (args.assign == "activations") {
    if (!tasks.any())
      throw Error(
          "--assign activations needs a --task MODEL=TASK or --data MODEL=DIR: its training split "
          "calibrates");
    constexpr size_t kCalibrationSamples = 512;
    const train::ActivationAssignment a = train::assign_by_activations(
        c, imported, tasks.train_sets(), kCalibrationSamples, args.finetune.options.threads);
    std::printf("activation-aware assignment: %d layers, %lld of %lld codes changed\n", a.layers,
                static_cast<long long>(a.codes_changed), static_cast<long long>(a.codes));
  }
  if (!args.finetune.sensitivity_json.empty())
    report_sensitivity(c, imported, tasks, args.finetune);
  if (tasks.any() && !tuned)
    c = finetune_pack(c, imported, tasks, args.finetune, args.seed, report);
  if (args.int8.activations == "int8") quantize_activations(c, tasks, args.int8);
  std::vector<uint8_t> bytes;
  try {
    bytes = args.grow ? grow_pack(base->pack, c.models, c.codebooks, {args.keep_names})
                      : write_pack(c.models, c.codebooks, {args.keep_names});
  } catch (const Error& e) {
    if (!args.grow) throw;
    throw Error(args.base + ": " + e.what());
  }
  const std::unique_ptr<LoadedPack> written = check_written_pack(args.output, bytes);
  if (args.grow) {  // the base's models too, so the totals are the grown pack's
    for (uint32_t m = 0; m < base->pack.model_count(); ++m) {
      const ModelSizes s = model_sizes(base->pack, m);  // constants as float32, as for ONNX
      report.models.push_back({base->pack.model_name(m), args.base, "", s.if_f32 - s.metadata});
    }
  }
  add_pack_sizes(report, written->pack);
  // Both writes are atomic; the report goes first so that a pack on disk never
  // lacks the report that describes it.
  if (!args.report.empty()) {
    const std::string text = report_json(report, c).dump(2) + "\n";
    write_file_atomic(args.report, std::vector<uint8_t>(text.begin(), text.end()));
  }
  write_file_atomic(args.output, bytes);

  for (const std::string& w : c.warnings) std::fprintf(stderr, "yono: warning: %s\n", w.c_str());
  std::fputs(report_table(report, c).c_str(), stdout);
  if (args.grow) {
    const std::vector<uint8_t> before(base->pack.data(), base->pack.data() + base->pack.size());
    const PackDelta d = pack_delta(before, bytes);
    std::printf(
        "grew %s (%zu bytes) by %zu model(s): over the air %llu bytes (%llu changed, %llu "
        "appended); `yono inspect %s --against %s` itemises it\n",
        args.base.c_str(), before.size(), args.inputs.size(),
        static_cast<unsigned long long>(d.bytes()), static_cast<unsigned long long>(d.changed),
        static_cast<unsigned long long>(d.appended), args.output.c_str(), args.base.c_str());
  }
  if (!args.report.empty()) std::printf("wrote %s\n", args.report.c_str());
}

// The options compress and add share; `add` has no --codebook (its base is
// the codebook) and no codebook-learning options.
void add_shared_options(CLI::App* cmd, const std::shared_ptr<CompressArgs>& a) {
  cmd->add_option("-o,--output", a->output, "Pack file to write")->required();
  cmd->add_option("--name", a->names,
                  "Model name, once per model in order (default: the file's stem)")
      ->allow_extra_args(false);
  cmd->add_option("--scale-dtype", a->scale_dtype,
                  "Stored per-output-channel scales of PQ and int8 layers: f32 (default) or f16 "
                  "(2 bytes less per channel)")
      ->check(CLI::IsMember({"f32", "f16"}));
  cmd->add_option("--bias-dtype", a->bias_dtype,
                  "Stored Conv/Dense biases: f32 (default) or f16 (2 bytes less per channel)")
      ->check(CLI::IsMember({"f32", "f16"}));
  cmd->add_option("--seed", a->seed, "k-means and fine-tuning seed (default 0)");
  cmd->add_option("--keep-min-weights", a->keep_min_weights,
                  "Layers with fewer weights stay uncompressed (default 1024)");
  cmd->add_option(
         "--keep-layer", a->keep_layers,
         "Keep this layer uncompressed (op or weight tensor name, or MODEL/OP); repeatable")
      ->allow_extra_args(false);
  cmd->add_option(
         "--layer-dim", a->layer_dims,
         "NAME=D: this layer (op or weight tensor name, or MODEL/OP) gets sub-vectors of length D, "
         "in a codebook shared by every layer of its group with that D; repeatable")
      ->allow_extra_args(false);
  cmd->add_flag("--keep-first", a->keep_first, "Keep each model's first conv/dense layer");
  cmd->add_flag("--keep-last", a->keep_last, "Keep each model's last conv/dense layer");
  cmd->add_flag("--keep-names", a->keep_names,
                "Store every tensor's name (default: only model, codebook and model input/output "
                "names; the device never reads the others)");
  add_allow_nonfinite_flag(cmd, &a->import.allow_nonfinite);
  cmd->add_option("--report", a->report,
                  "Also write the compress report (every layer's encoding and why, bytes, "
                  "validation accuracy) as JSON to FILE");
  cmd->add_option("--keep-dtype", a->keep_dtype, "Kept layers: int8 per channel (default) or f32")
      ->check(CLI::IsMember({"int8", "f32"}));
  add_finetune_options(*cmd, a->finetune);
  add_int8_options(*cmd, a->int8);
}

}  // namespace

void add_compress_command(CLI::App& app) {
  auto a = std::make_shared<CompressArgs>();
  CLI::App* cmd = app.add_subcommand("compress", "Quantize ONNX models together into one pack");
  cmd->footer(
      "Examples:\n  yono compress a.onnx b.onnx --task a=fashion-mnist --task b=fsdd -o ab.yono\n  "
      "yono compress c.onnx --codebook ab.yono --data c=my_data/ -o c.yono\n  yono compress a.onnx "
      "--task a=fashion-mnist --activations int8 -o a-i8.yono");
  cmd->add_option("models", a->inputs, "ONNX files (opset 11-17)")->required();
  add_shared_options(cmd, a);
  cmd->add_option("--method", a->method, "pq (shared codebooks), int8 or kmeans-scalar")
      ->check(CLI::IsMember({"pq", "int8", "kmeans-scalar"}));
  CLI::Option* codebooks =
      cmd->add_option("--codebooks", a->codebooks,
                      "shared (one codebook), per-group (default) or per-model")
          ->check(CLI::IsMember({"shared", "per-group", "per-model"}));
  cmd->add_option("--dim", a->dims,
                  "Sub-vector length D, or GROUP=D for one group (kxk, pointwise); repeatable. "
                  "Default: kxk = most common kh*kw, pointwise = 4, shared = 4")
      ->allow_extra_args(false);
  cmd->add_option("--codewords", a->codewords,
                  "Codewords K (2..65536), or GROUP=K, or GROUP/dD=K for the codebook "
                  "--layer-dim D makes (e.g. kxk/d3=64); repeatable. Default 256")
      ->allow_extra_args(false);
  CLI::Option* dtype = cmd->add_option("--codebook-dtype", a->codebook_dtype,
                                       "Stored codebook values: f32 (default), f16 or i8")
                           ->check(CLI::IsMember({"f32", "f16", "i8"}));
  CLI::Option* bits =
      cmd->add_option("--bits", a->bits, "kmeans-scalar: 2^bits centroids per layer (default 4)");
  cmd->add_option("--flash-budget", a->flash_budget,
                  "Search for the configuration whose whole pack fits BYTES, spending bytes on "
                  "the layers whose quantization costs most on the --task validation splits "
                  "(steps in the report)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-loss", a->max_loss,
                  "Search for the smallest configuration whose every model stays within PP "
                  "percentage points of its float accuracy on its --task validation split after "
                  "fine-tuning (steps in the report)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--assign", a->assign,
                  "How PQ codes are picked: weights (nearest codeword, default) or activations "
                  "(least output error on 512 --task training samples per model; learned "
                  "fine-tuning re-picks in weight space, so use with --finetune none|yono)")
      ->check(CLI::IsMember({"weights", "activations"}));
  cmd->add_option("--codebook", a->base,
                  "Compress against the codebooks of this pack, frozen (YONO on a task they "
                  "never saw): each layer takes its group's codebook (D and K are the pack's); "
                  "fine-tuning defaults to --finetune yono. The output holds those codebooks, "
                  "byte for byte, and the new models")
      ->check(CLI::ExistingFile);
  CLI::Option* finetune = cmd->get_option("--finetune");
  cmd->callback([a, codebooks, dtype, bits, finetune] {
    a->finetune.gave_mode = finetune->count() > 0;
    a->gave_codebooks = codebooks->count() > 0;
    a->gave_dtype = dtype->count() > 0;
    a->gave_bits = bits->count() > 0;
    run_compress(*a);
  });
}

void add_add_command(CLI::App& app) {
  auto a = std::make_shared<CompressArgs>();
  a->grow = true;
  CLI::App* cmd = app.add_subcommand(
      "add",
      "Grow a pack by models compressed against its codebooks, frozen: the base's bytes stay, "
      "the new ones are appended (an over-the-air update; see inspect --against)");
  cmd->footer("Example:\n  yono add models/zoo.yono kws.onnx --data kws=my_words/ -o grown.yono");
  cmd->add_option("base", a->base, "The pack to grow (.yono, with codebooks)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("models", a->inputs, "ONNX files (opset 11-17) to add")->required();
  add_shared_options(cmd, a);
  CLI::Option* finetune = cmd->get_option("--finetune");
  cmd->callback([a, finetune] {
    a->finetune.gave_mode = finetune->count() > 0;
    run_compress(*a);
  });
}

}  // namespace yono::cli
