// `yono compress --task MODEL=TASK | --data MODEL=DIR ...`: the fine-tuning half of compress
// (compiler/include/yono/compiler/train/finetune.h), kept apart from
// cmd_compress.cpp so the plain compress path stays readable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data_options.h"
#include "yono/compiler/compress/compress.h"
#include "yono/compiler/compress/compress_report.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/train/finetune.h"
#include "yono/compiler/train/finetune_data.h"

namespace CLI {
class App;
}

namespace yono::cli {

constexpr int64_t kQuickSteps = 2000;  // --quick

struct FinetuneArgs {
  std::vector<std::string> tasks;      // "MODEL=TASK"
  std::vector<std::string> data_dirs;  // "MODEL=DIR"
  DataArgs data;                       // how the folders are read
  std::string mode = "learned";
  train::FinetuneOptions options;
  uint64_t split_seed = 1;  // the zoo's: validation stays out of what the models trained on
  bool quiet = false;
  bool quick = false;
  std::string sensitivity_json;  // --sensitivity FILE: per-layer report, before fine-tuning
  bool gave_mode = false;
};

void add_finetune_options(CLI::App& cmd, FinetuneArgs& a);

// train::load_finetune_data for the --task and --data options, each folder's
// description printed on stderr; also refuses --finetune yono|learned
// without any --task or --data.
train::FinetuneData load_finetune_data(const FinetuneArgs& a, const std::vector<ir::Graph>& models,
                                       const std::vector<std::string>& files);

// The fine-tuning options and tasks the flags and --task data say, and the
// report fields a fine-tuning result fills (float, compressed and fine-tuned
// validation accuracy per model; the run's summary).
train::FinetuneOptions finetune_options(const FinetuneArgs& a, uint64_t seed);
std::vector<train::FinetuneTask> finetune_tasks(const train::FinetuneData& d);
void add_finetune_outcome(CompressReport& report, const train::FinetuneResult& r,
                          const train::FinetuneData& d, const FinetuneArgs& a,
                          const train::FinetuneOptions& o);

// Fine-tunes `c` (compressed from `teachers`); the report gets each model's
// validation accuracy (float, compressed, fine-tuned) and the run's summary.
CompressedModels finetune_pack(const CompressedModels& c, const std::vector<ir::Graph>& teachers,
                               const train::FinetuneData& d, const FinetuneArgs& a, uint64_t seed,
                               CompressReport& report);

// --sensitivity: measures train::layer_sensitivity on the validation splits
// of the models with a task, prints it and writes the JSON. Throws
// yono::Error when no model has a task.
void report_sensitivity(const CompressedModels& c, const std::vector<ir::Graph>& originals,
                        const train::FinetuneData& d, const FinetuneArgs& a);

}  // namespace yono::cli
