#include "compress_finetune.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "yono/compiler/error.h"

namespace yono::cli {

void add_finetune_options(CLI::App& cmd, FinetuneArgs& a) {
  cmd.add_option("--task", a.tasks,
                 "MODEL=TASK: fine-tune MODEL on TASK's training split (fashion-mnist, cifar10, "
                 "fsdd, fsdd-mfcc, hmp); repeatable. Models without a task are not trained")
      ->allow_extra_args(false);
  cmd.add_option("--finetune", a.mode,
                 "learned (codewords train; default), yono (codebooks frozen) or none")
      ->check(CLI::IsMember({"learned", "yono", "none"}));
  train::FinetuneOptions& o = a.options;
  cmd.add_option("--epochs", o.epochs, "Fine-tuning epochs over the largest task (default 1)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--batch", o.batch, "Minibatch per task and step (default 64)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--lr", o.lr, "Adam peak learning rate (default 1e-4)")
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
  cmd.add_option("--split-seed", a.split_seed,
                 "Seed of the train/validation split (default 1, the zoo's)");
  cmd.add_flag(
      "--last-epoch", [&a](int64_t) { a.options.keep_best = false; },
      "Keep the last epoch, not the one with the best validation accuracy");
  cmd.add_flag("-q,--quiet", a.quiet, "No progress bar");
}

train::FinetuneData load_finetune_data(const FinetuneArgs& a, const std::vector<ir::Graph>& models,
                                       const std::vector<std::string>& files) {
  if (a.tasks.empty() && a.gave_mode && a.mode != "none")
    throw Error("--finetune " + a.mode + " needs a --task MODEL=TASK for the models to train");
  return train::load_finetune_data(a.tasks, a.split_seed, models, files);
}

CompressedModels finetune_pack(const CompressedModels& c, const std::vector<ir::Graph>& teachers,
                               const train::FinetuneData& d, const FinetuneArgs& a, uint64_t seed) {
  train::FinetuneOptions o = a.options;
  o.mode = train::parse_finetune_mode(a.mode);
  o.seed = seed;
  o.progress = !a.quiet;
  std::vector<train::FinetuneTask> tasks(c.models.size());
  for (size_t m = 0; m < c.models.size(); ++m) {
    if (d.task_names[m].empty()) continue;
    tasks[m].name = d.task_names[m];
    tasks[m].train = &d.splits[m].train;
    tasks[m].validation = &d.splits[m].validation;
    tasks[m].augmentation = train::default_augmentation(d.task_names[m]);
  }
  train::FinetuneResult r = train::finetune(c, teachers, tasks, o);
  for (size_t m = 0; m < c.models.size(); ++m) {
    if (d.task_names[m].empty()) continue;
    const train::FinetuneModelReport& rep = r.models[m];
    std::printf("%s: %s validation accuracy float %.2f%%, compressed %.2f%%, fine-tuned %.2f%%\n",
                rep.model.c_str(), d.task_names[m].c_str(), 100.0 * rep.float_validation,
                100.0 * rep.before_validation, 100.0 * rep.after_validation);
  }
  if (o.mode != train::FinetuneMode::kNone)
    std::printf("fine-tuned (%s) %lld steps in %.0f s%s\n", a.mode.c_str(),
                static_cast<long long>(r.steps), r.seconds,
                r.best_epoch > 0 ? (", kept epoch " + std::to_string(r.best_epoch)).c_str() : "");
  return std::move(r.compressed);
}

}  // namespace yono::cli
