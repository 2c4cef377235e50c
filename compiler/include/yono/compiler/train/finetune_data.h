// Which data each model of a pack is fine-tuned on (a built-in task or a data
// folder), and that data. Torch-free, so the CLI can include it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/data_spec.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"

namespace yono::train {

struct FinetuneData {
  std::vector<std::string> task_names;              // per model: its task or data folder; "" = none
  std::vector<data::DataSpec> specs;                // per model; empty without data
  std::vector<data::DataDescription> descriptions;  // per model: what was loaded
  std::vector<data::Split> splits;                  // per model; empty without data
  bool any() const;
  // Per model: its validation (or training) split, null without data.
  std::vector<const data::Dataset*> validation_sets() const;
  std::vector<const data::Dataset*> train_sets() const;
};

// Parses "MODEL=TASK" and "MODEL=DIR" specs and loads each named model's
// split (split with `split_seed`; folders read with `data_options`), before
// anything slow runs. `files` name the models' source files for messages.
// Throws yono::Error (one line) on a spec for a model not given or named
// twice, an unknown task, data whose class count (or class names, when the
// model carries them) differs from the model's outputs or whose samples do not
// fit its input (naming the model's file), or data not found or malformed.
FinetuneData load_finetune_data(const std::vector<std::string>& task_specs,
                                const std::vector<std::string>& data_specs,
                                const data::UserDataOptions& data_options, uint64_t split_seed,
                                const std::vector<ir::Graph>& models,
                                const std::vector<std::string>& files);

}  // namespace yono::train
