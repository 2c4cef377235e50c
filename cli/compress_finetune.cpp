#include "compress_finetune.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/train/sensitivity.h"

namespace yono::cli {

void add_finetune_options(CLI::App& cmd, FinetuneArgs& a) {
  cmd.add_option("--task", a.tasks,
                 "MODEL=TASK: fine-tune MODEL on TASK's training split (fashion-mnist, cifar10, "
                 "fsdd, fsdd-mfcc, hmp); repeatable. Models without a task are not trained")
      ->allow_extra_args(false);
  cmd.add_option("--data", a.data_dirs,
                 "MODEL=DIR: fine-tune MODEL on a data folder's training split instead (see yono "
                 "train --help; the data flags apply to every folder); repeatable")
      ->allow_extra_args(false);
  add_data_options(cmd, a.data);
  cmd.add_option("--finetune", a.mode,
                 "learned (codewords train; default), yono (codebooks frozen) or none")
      ->check(CLI::IsMember({"learned", "yono", "none"}));
  train::FinetuneOptions& o = a.options;
  cmd.add_option("--epochs", o.epochs, "Fine-tuning epochs over the largest task (default 1)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--batch", o.batch, "Minibatch per task and step (default 32)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--lr", o.lr, "Adam peak learning rate (default 5e-4)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--codebook-lr-scale", o.codebook_lr_scale,
                 "learned: codewords train at lr times this (default 1)");
  cmd.add_option("--temperature", o.temperature, "Distillation temperature (default 4)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--distill", o.distill,
                 "Weight of distillation from the float model; the rest is label loss (default "
                 "0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--yono-fraction", o.yono_fraction,
                 "yono: share of PQ layers (largest error per weight) whose codes are re-picked "
                 "(default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--reassign-every", o.reassign_every,
                 "Steps between code re-assignments (default 1)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--threads", o.threads, "libtorch threads (default 2)")->check(CLI::Range(1, 64));
  cmd.add_option("--max-steps", o.max_steps, "Stop fine-tuning after this many steps (probes)");
  cmd.add_flag("--quick", a.quick,
               "Fine-tune for at most " + std::to_string(kQuickSteps) +
                   " steps unless --max-steps is given: the four-model zoo in under 10 minutes "
                   "on 2 cores, most of the accuracy (docs/BENCHMARKS.md)");
  cmd.add_option("--split-seed", a.split_seed,
                 "Seed of the train/validation split (default 1, the zoo's)");
  cmd.add_flag(
      "--last-epoch", [&a](int64_t) { a.options.keep_best = false; },
      "Keep the last epoch, not the one with the best validation accuracy");
  cmd.add_flag("-q,--quiet", a.quiet, "No progress bar");
  cmd.add_option("--sensitivity", a.sensitivity_json,
                 "Also measure each compressed layer's validation accuracy drop (that layer alone "
                 "decoded) against its error per weight, before fine-tuning; print it and write "
                 "it as JSON to FILE");
}

train::FinetuneData load_finetune_data(const FinetuneArgs& a, const std::vector<ir::Graph>& models,
                                       const std::vector<std::string>& files) {
  if (a.tasks.empty() && a.data_dirs.empty() && a.gave_mode && a.mode != "none")
    throw Error("--finetune " + a.mode +
                " needs a --task MODEL=TASK or --data MODEL=DIR for the models to train");
  const data::UserDataOptions options = data_options(a.data, !a.data_dirs.empty());
  train::FinetuneData d =
      train::load_finetune_data(a.tasks, a.data_dirs, options, a.split_seed, models, files);
  for (size_t m = 0; m < d.specs.size(); ++m)
    if (!d.specs[m].dir.empty()) print_data_description(d.descriptions[m]);
  return d;
}

train::FinetuneOptions finetune_options(const FinetuneArgs& a, uint64_t seed) {
  train::FinetuneOptions o = a.options;
  if (a.quick && o.max_steps <= 0) o.max_steps = kQuickSteps;
  o.mode = train::parse_finetune_mode(a.mode);
  o.seed = seed;
  o.progress = !a.quiet;
  return o;
}

std::vector<train::FinetuneTask> finetune_tasks(const train::FinetuneData& d) {
  std::vector<train::FinetuneTask> tasks(d.task_names.size());
  for (size_t m = 0; m < d.task_names.size(); ++m) {
    if (d.task_names[m].empty()) continue;
    tasks[m].name = d.task_names[m];
    tasks[m].train = &d.splits[m].train;
    tasks[m].validation = &d.splits[m].validation;
    tasks[m].augmentation = train::default_augmentation(d.specs[m], d.descriptions[m]);
  }
  return tasks;
}

void add_finetune_outcome(CompressReport& report, const train::FinetuneResult& r,
                          const train::FinetuneData& d, const FinetuneArgs& a,
                          const train::FinetuneOptions& o) {
  for (size_t m = 0; m < r.models.size() && m < report.models.size(); ++m) {
    if (d.task_names[m].empty()) continue;
    ModelOutcome& out = report.models[m];
    out.task = d.task_names[m];
    out.float_validation = r.models[m].float_validation;
    out.compressed_validation = r.models[m].before_validation;
    out.float_validation_loss = r.models[m].float_validation_loss;
    out.compressed_validation_loss = r.models[m].before_validation_loss;
    if (o.mode != train::FinetuneMode::kNone) {
      out.finetuned_validation = r.models[m].after_validation;
      out.finetuned_validation_loss = r.models[m].after_validation_loss;
    }
  }
  if (o.mode != train::FinetuneMode::kNone) {
    report.finetuned = true;
    report.finetune = {a.mode, o.epochs,  o.batch, r.best_epoch, o.threads,
                       o.lr,   r.seconds, r.steps, o.seed};
  }
}

CompressedModels finetune_pack(const CompressedModels& c, const std::vector<ir::Graph>& teachers,
                               const train::FinetuneData& d, const FinetuneArgs& a, uint64_t seed,
                               CompressReport& report) {
  const train::FinetuneOptions o = finetune_options(a, seed);
  train::FinetuneResult r = train::finetune(c, teachers, finetune_tasks(d), o);
  add_finetune_outcome(report, r, d, a, o);
  return std::move(r.compressed);
}

void report_sensitivity(const CompressedModels& c, const std::vector<ir::Graph>& originals,
                        const train::FinetuneData& d, const FinetuneArgs& a) {
  if (!d.any())
    throw Error(
        "--sensitivity needs a --task MODEL=TASK or --data MODEL=DIR for the models to measure");
  const std::vector<const data::Dataset*> validation = d.validation_sets();
  constexpr size_t kMaxSamples = 2000;  // per model: enough to rank layers, minutes not hours
  const train::SensitivityReport r =
      train::layer_sensitivity(c, originals, validation, kMaxSamples, a.options.threads);
  nlohmann::json j = {{"samples_per_model_at_most", kMaxSamples},
                      {"split", "validation"},
                      {"models", nlohmann::json::array()},
                      {"layers", nlohmann::json::array()}};
  std::printf("%-16s %-14s %-5s %8s %12s %9s\n", "model", "layer", "enc", "weights", "err/weight",
              "drop pp");
  for (const train::LayerSensitivity& l : r.layers) {
    const std::string& model = c.models[l.model].name;
    std::printf("%-16s %-14s %-5s %8lld %12.6f %9.2f\n", model.c_str(), l.layer.c_str(),
                l.encoding.c_str(), static_cast<long long>(l.weights), l.error_per_weight,
                100.0 * l.drop);
    j["layers"].push_back({{"model", model},
                           {"layer", l.layer},
                           {"encoding", l.encoding},
                           {"weights", l.weights},
                           {"error_per_weight", l.error_per_weight},
                           {"accuracy", l.accuracy},
                           {"drop", l.drop}});
  }
  for (const train::ModelSensitivity& m : r.models) {
    std::printf(
        "%s: float validation %.2f%%; proxy (error per weight) vs measured drop: Spearman %.2f\n",
        m.model.c_str(), 100.0 * m.float_accuracy, m.proxy_rank_correlation);
    j["models"].push_back({{"model", m.model},
                           {"float_accuracy", m.float_accuracy},
                           {"proxy_rank_correlation", m.proxy_rank_correlation}});
  }
  const std::string text = j.dump(2) + "\n";
  write_file_atomic(a.sensitivity_json, std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace yono::cli
