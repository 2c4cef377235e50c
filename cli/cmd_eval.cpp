// `yono eval FILE --task T | --data DIR [--model NAME] [--json]`: top-1
// accuracy on the test split (a data folder's test/ or its hold-out). A pack is run by the runtime,
// sample by sample, exactly as on the device; an .onnx is scored in float by libtorch, the
// reference the runtime must match.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli_common.h"
#include "data_options.h"
#include "train_commands.h"
#include "yono/compiler/data/data_spec.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_labels.h"
#include "yono/compiler/train/trainer.h"

namespace yono::cli {
namespace {

struct EvalCommand {
  std::string path, model, task, data_dir;
  DataArgs data;
  uint64_t seed = 1;
  int threads = 1;
  bool json = false, quiet = false;
  OnnxImportOptions import;
};

bool is_onnx(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".onnx") == 0;
}

// A model that knows its classes must have been trained on these ones: the
// same count in another order would score as noise without any error.
void check_classes(const std::vector<std::string>& classes, const std::string& path,
                   const data::Dataset& test, const std::string& data_name) {
  if (classes.empty() || classes == test.class_names) return;
  std::string model, here;
  for (const std::string& n : classes) model += (model.empty() ? "" : ", ") + n;
  for (const std::string& n : test.class_names) here += (here.empty() ? "" : ", ") + n;
  throw Error(path + ": model was trained on classes [" + model + "] but " + data_name + " has [" +
              here + "]");
}

// The pack and its model, opened before any data is decoded: a bad pack is
// reported at once, not after seconds of reading audio.
struct PackModel {
  std::unique_ptr<LoadedPack> loaded;
  uint32_t model = 0;
};

PackModel open_pack_model(const EvalCommand& c) {
  PackModel p{load_pack(c.path), 0};
  const Pack& pack = p.loaded->pack;
  if (!c.model.empty()) {
    if (pack.find_model(c.model.c_str(), &p.model) != Status::kOk)
      throw Error(c.path + ": no model named '" + c.model + "'; models: " + model_names(pack));
  } else if (pack.model_count() != 1) {
    throw Error(c.path + " holds several models (" + model_names(pack) +
                "); choose one with --model");
  }
  return p;
}

train::Evaluation eval_pack(const EvalCommand& c, const PackModel& p, const data::Dataset& test,
                            const std::string& data_name) {
  const Pack& pack = p.loaded->pack;
  const std::string label = c.path + ": model '" + pack.model_name(p.model) + "'";
  const PackLabels labels = read_labels(pack);
  const auto classes = labels.find(pack.model_name(p.model));
  if (classes != labels.end()) check_classes(classes->second, label, test, data_name);
  return train::evaluate_pack(pack, p.model, test, label, data_name, c.threads, !c.quiet);
}

void run_eval(const EvalCommand& c) {
  const data::DataSpec spec = data_spec(c.task, c.data_dir, c.data);
  const std::string name = spec.name();
  const bool onnx = is_onnx(c.path);
  std::optional<ir::Graph> graph;
  PackModel packed;
  if (onnx)
    graph = import_onnx(c.path, c.model.empty() ? name : c.model, c.import);
  else
    packed = open_pack_model(c);
  data::DataDescription described;
  const data::Split split = data::load_split(spec, c.seed, &described);
  train::Evaluation e;
  if (onnx) {
    check_classes(graph->class_names, c.path, split.test, spec.task.empty() ? c.data_dir : c.task);
    e = train::evaluate_float(*graph, split.test, c.threads);
  } else {
    e = eval_pack(c, packed, split.test, name);
  }
  // Only now: a model that does not fit the data gets its one error line alone.
  print_data_description(described);
  if (!c.json) {
    std::printf("%s on %s test: top-1 %.2f%% (%zu/%zu, %s)\n", c.path.c_str(), name.c_str(),
                100.0 * e.accuracy, e.correct, e.count,
                onnx ? "float reference, libtorch" : "yono runtime");
    return;
  }
  const size_t k = split.test.class_names.size();
  nlohmann::json confusion = nlohmann::json::array();
  for (size_t r = 0; r < k; ++r)
    confusion.push_back(
        std::vector<int64_t>(e.confusion.begin() + static_cast<std::ptrdiff_t>(r * k),
                             e.confusion.begin() + static_cast<std::ptrdiff_t>((r + 1) * k)));
  nlohmann::json j = {{"file", c.path},
                      {"engine", onnx ? "libtorch-float" : "yono-runtime"},
                      {"seed", c.seed},
                      {"accuracy", e.accuracy},
                      {"correct", e.correct},
                      {"count", e.count},
                      {"classes", split.test.class_names},
                      {"confusion", confusion},
                      {"data_fnv1a64", data::fingerprint(split)}};
  if (!onnx) j["model"] = packed.loaded->pack.model_name(packed.model);
  if (!c.task.empty()) {
    j["task"] = c.task;
  } else {
    j["data"] = c.data_dir;
    j["layout"] = described.layout;
    j["test_split"] = described.test_origin;
  }
  if (!c.model.empty()) j["model"] = c.model;
  std::printf("%s\n", j.dump(2).c_str());
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto c = std::make_shared<EvalCommand>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Top-1 accuracy on a task's or data folder's test split: a pack through the runtime, an "
      ".onnx in float");
  cmd->footer(
      "Examples:\n  yono eval models/zoo.yono --model cifar10 --task cifar10 --threads 2\n  yono "
      "eval "
      "kws.onnx --data my_words/ --json");
  cmd->add_option("file", c->path, "Pack (.yono) or model (.onnx)")->required();
  CLI::Option* task =
      cmd->add_option("--task", c->task, "fashion-mnist, cifar10, fsdd, fsdd-mfcc or hmp");
  cmd->add_option("--data", c->data_dir,
                  "Data folder instead of a task (see yono train --help); scored on its test/ "
                  "split or hold-out, so give the data flags training had")
      ->excludes(task);
  add_data_options(*cmd, c->data);
  cmd->add_option("--model", c->model, "Model name in the pack (required if it holds several)");
  cmd->add_option("--seed", c->seed,
                  "Split seed; must be the training seed for hmp (default 1; a data folder's "
                  "hold-out does not depend on it)");
  cmd->add_option("--threads", c->threads,
                  "Threads: a pack's samples shared by that many Sessions (the result does not "
                  "depend on it), or libtorch's for .onnx (default 1)")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--quiet", c->quiet, "No progress bar");
  cmd->add_flag("--json", c->json, "Print JSON with the confusion matrix (rows = true class)");
  add_allow_nonfinite_flag(cmd, &c->import.allow_nonfinite);
  cmd->callback([c] { run_eval(*c); });
}

}  // namespace yono::cli
