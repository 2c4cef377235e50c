// `yono train --task T | --data DIR [--arch A] [--epochs N] [--seed S] -o model.onnx`:
// builds the data's preset from the IR, trains it with libtorch, scores the
// test split in float and writes the ONNX (with the class names) and a
// metrics JSON, each atomically.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "data_options.h"
#include "train_commands.h"
#include "yono/compiler/data/data_spec.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/onnx/export.h"
#include "yono/compiler/onnx/weights.h"
#include "yono/compiler/train/trainer.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace yono::cli {

namespace {

struct TrainCommand {
  std::string task, data_dir, arch, output, metrics, init;
  DataArgs data;
  int epochs = 10, batch = 64, threads = 1;
  uint64_t seed = 1;
  double lr = 0.05, weight_decay = 5e-4, label_smoothing = 0.0;
  std::string optimizer = "sgd";
  bool quiet = false;
  int64_t max_steps = 0;
};

std::string default_metrics_path(const std::string& onnx) {
  const size_t dot = onnx.rfind('.');
  const size_t slash = onnx.find_last_of('/');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return (has_ext ? onnx.substr(0, dot) : onnx) + ".json";
}

void run_train(const TrainCommand& c) {
  const std::string metrics = c.metrics.empty() ? default_metrics_path(c.output) : c.metrics;
  check_outputs_distinct({c.init, c.data_dir}, {c.output, metrics});
  const data::DataSpec spec = data_spec(c.task, c.data_dir, c.data);
  data::DataDescription described;
  const data::Split split = data::load_split(spec, c.seed, &described);
  const std::string arch =
      !c.arch.empty() ? c.arch
      : !c.task.empty()
          ? zoo::default_arch(c.task)
          : zoo::default_arch_for(data::modality_name(described.modality), described.sample_dims);
  const std::string name = spec.name();
  const auto classes = static_cast<int64_t>(split.train.class_names.size());
  ir::Graph g = zoo::build_model(arch, split.train.sample_dims, classes, c.seed);
  if (!c.init.empty()) load_weights_by_name(g, c.init);
  // After the checks that can fail fast, so their error line stands alone.
  print_data_description(described);
  const zoo::ModelCost cost = zoo::model_cost(g);
  if (!c.quiet)
    std::fprintf(stderr, "%s: %s, %lld params, %.2fM MACs; %zu train / %zu val / %zu test\n",
                 name.c_str(), arch.c_str(), static_cast<long long>(cost.params),
                 static_cast<double>(cost.macs) / 1e6, split.train.size(), split.validation.size(),
                 split.test.size());

  train::TrainOptions o;
  o.epochs = c.epochs;
  o.batch = c.batch;
  o.optimizer = c.optimizer;
  o.lr = c.lr;
  o.weight_decay = c.weight_decay;
  o.label_smoothing = c.label_smoothing;
  o.augmentation = train::default_augmentation(spec, described);
  o.seed = c.seed;
  o.threads = c.threads;
  o.progress = !c.quiet;
  o.max_steps = c.max_steps;
  o.batch_norm = c.init.empty();  // the loaded weights carry folded batch norms
  const train::TrainResult result = train::train_model(g, split.train, &split.validation, o);
  const train::Evaluation test = train::evaluate_float(g, split.test, c.threads);

  g.name = name;  // the zoo names models after their tasks; a folder names its model
  g.class_names = split.train.class_names;  // travel in the ONNX, so the device can say them
  write_onnx(g, c.output);
  nlohmann::json m;
  if (!c.task.empty()) {
    m["task"] = c.task;
  } else {
    m["data"] = c.data_dir;
    m["layout"] = described.layout;
    m["test_split"] = described.test_origin;
  }
  m["arch"] = arch;
  m["classes"] = split.train.class_names;
  m["accuracy"] = test.accuracy;
  m["validation_accuracy"] =
      result.epochs.empty() ? -1.0 : result.epochs.back().validation_accuracy;
  m["test_samples"] = test.count;
  m["params"] = cost.params;
  m["macs"] = cost.macs;
  m["train_seconds"] = result.seconds;
  m["seed"] = c.seed;
  m["epochs"] = c.epochs;
  m["batch"] = c.batch;
  m["optimizer"] = c.optimizer;
  m["lr"] = c.lr;
  m["threads"] = c.threads;
  if (!c.init.empty()) m["init"] = c.init;
  m["data_fnv1a64"] = data::fingerprint(split);
  for (const train::EpochStats& e : result.epochs)
    m["history"].push_back({{"epoch", e.epoch},
                            {"loss", e.loss},
                            {"train_accuracy", e.train_accuracy},
                            {"validation_accuracy", e.validation_accuracy},
                            {"seconds", e.seconds}});
  const std::string text = m.dump(2) + "\n";
  write_file_atomic(metrics, std::vector<uint8_t>(text.begin(), text.end()));
  std::printf("%s: test accuracy %.2f%% (float, libtorch); wrote %s and %s\n", name.c_str(),
              100.0 * test.accuracy, c.output.c_str(), metrics.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto c = std::make_shared<TrainCommand>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a preset model on a task or a data folder and export it as ONNX");
  cmd->footer(
      "Examples:\n  yono train --task fsdd --epochs 40 --seed 1 -o fsdd.onnx\n  yono train --data "
      "my_words/ --epochs 30 -o kws.onnx");
  CLI::Option* task =
      cmd->add_option("--task", c->task, "fashion-mnist, cifar10, fsdd, fsdd-mfcc or hmp");
  cmd->add_option("--data", c->data_dir,
                  "Data folder instead of a task: IDX files, or train/<class>/ (optional "
                  "test/<class>/) of .png/.jpg images, .wav clips or .csv/.txt sensor "
                  "recordings; the class folder names go into the ONNX")
      ->excludes(task);
  add_data_options(*cmd, c->data);
  cmd->add_option("--arch", c->arch,
                  "Preset (default: the task's, or for --data one picked by modality and sample "
                  "shape; see model_zoo.h)");
  cmd->add_option("--epochs", c->epochs, "Epochs (default 10)")->check(CLI::PositiveNumber);
  cmd->add_option("--seed", c->seed, "Seed of split, init, shuffling and augmentation (default 1)");
  cmd->add_option("--batch", c->batch, "Minibatch size (default 64)")->check(CLI::PositiveNumber);
  cmd->add_option("--lr", c->lr, "Peak learning rate (default 0.05)")->check(CLI::PositiveNumber);
  cmd->add_option("--optimizer", c->optimizer, "sgd (default) or adamw");
  cmd->add_option("--weight-decay", c->weight_decay, "Conv/dense weight decay (default 5e-4)");
  cmd->add_option("--label-smoothing", c->label_smoothing, "Label smoothing (default 0)");
  cmd->add_option("--threads", c->threads,
                  "libtorch threads (default 1: two spin-wait badly on a shared 2-core box)")
      ->check(CLI::Range(1, 2));
  cmd->add_option("--init", c->init,
                  "Continue from the weights of this yono-trained .onnx (same data and arch; batch "
                  "norms stay folded)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--max-steps", c->max_steps, "Stop after this many steps (timing probes)");
  cmd->add_flag("-q,--quiet", c->quiet, "No progress bar");
  cmd->add_option("-o,--output", c->output, "Output .onnx")->required();
  cmd->add_option("--metrics", c->metrics, "Metrics JSON (default: output with .json)");
  cmd->callback([c] { run_train(*c); });
}

}  // namespace yono::cli
