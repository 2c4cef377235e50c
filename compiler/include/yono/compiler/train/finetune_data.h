// Which task each model of a pack is fine-tuned on, and that task's data.
// Torch-free, so the CLI can include it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"

namespace yono::train {

struct FinetuneData {
  std::vector<std::string> task_names;  // per model; "" = no task
  std::vector<data::Split> splits;      // per model; empty without a task
  bool any() const;
  // Per model: its task's validation (or training) split, null without a task.
  std::vector<const data::Dataset*> validation_sets() const;
  std::vector<const data::Dataset*> train_sets() const;
};

// Parses "MODEL=TASK" specs and loads each named model's task split (split
// with `split_seed`), before anything slow runs. `files` name the models'
// source files for messages. Throws yono::Error (one line) on a spec for a
// model not given, an unknown task, a task whose class count differs from
// the model's outputs or whose samples do not fit its input (naming the
// model's file), or data not found.
FinetuneData load_finetune_data(const std::vector<std::string>& task_specs, uint64_t split_seed,
                                const std::vector<ir::Graph>& models,
                                const std::vector<std::string>& files);

}  // namespace yono::train
