// `yono eval FILE --task T [--model NAME] [--json]`: top-1 accuracy on the
// task's test split. A pack is run by the runtime, sample by sample, exactly
// as on the device; an .onnx is scored in float by libtorch, the reference
// the runtime must match.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "train_commands.h"
#include "yono/compiler/data/tasks.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/train/trainer.h"

namespace yono::cli {
namespace {

struct EvalCommand {
  std::string path, model, task;
  uint64_t seed = 1;
  int threads = 1;
  bool json = false;
};

bool is_onnx(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".onnx") == 0;
}

train::Evaluation eval_pack(const EvalCommand& c, const data::Dataset& test) {
  const std::unique_ptr<LoadedPack> loaded = load_pack(c.path);
  const Pack& pack = loaded->pack;
  uint32_t model = 0;
  if (!c.model.empty()) {
    if (pack.find_model(c.model.c_str(), &model) != Status::kOk)
      throw Error(c.path + ": no model named '" + c.model + "'; models: " + model_names(pack));
  } else if (pack.model_count() != 1) {
    throw Error(c.path + " holds several models (" + model_names(pack) +
                "); choose one with --model");
  }
  const std::string label = c.path + ": model '" + pack.model_name(model) + "'";
  return train::evaluate_pack(pack, model, test, label, c.task);
}

void run_eval(const EvalCommand& c) {
  const data::Split split = data::load_task(c.task, c.seed);
  const bool onnx = is_onnx(c.path);
  const train::Evaluation e =
      onnx ? train::evaluate_float(import_onnx(c.path, c.model.empty() ? c.task : c.model),
                                   split.test, c.threads)
           : eval_pack(c, split.test);
  if (!c.json) {
    std::printf("%s on %s test: top-1 %.2f%% (%zu/%zu, %s)\n", c.path.c_str(), c.task.c_str(),
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
  nlohmann::json j = {
      {"file", c.path},         {"engine", onnx ? "libtorch-float" : "yono-runtime"},
      {"task", c.task},         {"seed", c.seed},
      {"accuracy", e.accuracy}, {"correct", e.correct},
      {"count", e.count},       {"classes", split.test.class_names},
      {"confusion", confusion}, {"data_fnv1a64", data::fingerprint(split)}};
  if (!c.model.empty()) j["model"] = c.model;
  std::printf("%s\n", j.dump(2).c_str());
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto c = std::make_shared<EvalCommand>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Top-1 accuracy on a task's test split: a pack through the runtime, an .onnx in float");
  cmd->add_option("file", c->path, "Pack (.yono) or model (.onnx)")->required();
  cmd->add_option("--task", c->task, "fashion-mnist, cifar10, fsdd, fsdd-mfcc or hmp")->required();
  cmd->add_option("--model", c->model, "Model name in the pack (required if it holds several)");
  cmd->add_option("--seed", c->seed, "Split seed; must be the training seed for hmp (default 1)");
  cmd->add_option("--threads", c->threads, "libtorch threads for .onnx (default 1)")
      ->check(CLI::Range(1, 2));
  cmd->add_flag("--json", c->json, "Print JSON with the confusion matrix (rows = true class)");
  cmd->callback([c] { run_eval(*c); });
}

}  // namespace yono::cli
