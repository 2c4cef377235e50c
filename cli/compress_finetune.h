// `yono compress --task MODEL=TASK ...`: the fine-tuning half of compress
// (compiler/include/yono/compiler/train/finetune.h), kept apart from
// cmd_compress.cpp so the plain compress path stays readable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/compress.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir.h"
#include "yono/compiler/train/finetune.h"

namespace CLI {
class App;
}

namespace yono::cli {

struct FinetuneArgs {
  std::vector<std::string> tasks;  // "MODEL=TASK"
  std::string mode = "learned";
  train::FinetuneOptions options;
  uint64_t split_seed = 1;  // the zoo's: validation stays out of what the models trained on
  bool quiet = false;
  bool gave_mode = false;
};

void add_finetune_options(CLI::App& cmd, FinetuneArgs& a);

// Every model's task split, loaded before anything slow runs; empty splits
// for models without a task. Throws yono::Error (one line) on a --task for a
// model not given, an unknown task, a task whose class count differs from
// the model's outputs (naming the model's file) or data not found.
struct FinetuneData {
  std::vector<std::string> task_names;  // "" = no task
  std::vector<data::Split> splits;
  bool any() const;
};
FinetuneData load_finetune_data(const FinetuneArgs& a, const std::vector<ir::Graph>& models,
                                const std::vector<std::string>& files);

// Fine-tunes `c` (compressed from `teachers`) and prints per-model validation
// accuracy: float, compressed, fine-tuned.
CompressedModels finetune_pack(const CompressedModels& c, const std::vector<ir::Graph>& teachers,
                               const FinetuneData& d, const FinetuneArgs& a, uint64_t seed);

}  // namespace yono::cli
