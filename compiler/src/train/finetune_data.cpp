// The data of `yono compress --task MODEL=TASK`: every model's task split,
// loaded and checked against the model before any slow step runs.
#include "yono/compiler/train/finetune_data.h"

#include <algorithm>

#include "yono/compiler/data/tasks.h"
#include "yono/compiler/error.h"

namespace yono::train {

bool FinetuneData::any() const {
  return std::any_of(task_names.begin(), task_names.end(),
                     [](const std::string& t) { return !t.empty(); });
}

std::vector<const data::Dataset*> FinetuneData::validation_sets() const {
  std::vector<const data::Dataset*> sets(task_names.size(), nullptr);
  for (size_t m = 0; m < task_names.size(); ++m)
    if (!task_names[m].empty()) sets[m] = &splits[m].validation;
  return sets;
}

std::vector<const data::Dataset*> FinetuneData::train_sets() const {
  std::vector<const data::Dataset*> sets(task_names.size(), nullptr);
  for (size_t m = 0; m < task_names.size(); ++m)
    if (!task_names[m].empty()) sets[m] = &splits[m].train;
  return sets;
}

FinetuneData load_finetune_data(const std::vector<std::string>& task_specs, uint64_t split_seed,
                                const std::vector<ir::Graph>& models,
                                const std::vector<std::string>& files) {
  FinetuneData d;
  d.task_names.assign(models.size(), "");
  d.splits.resize(models.size());
  if (task_specs.empty()) return d;
  std::string names;
  for (const ir::Graph& g : models) names += (names.empty() ? "" : ", ") + g.name;
  const std::vector<std::string> known = data::known_tasks();
  for (const std::string& spec : task_specs) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw Error("--task " + spec + ": expected MODEL=TASK");
    const std::string model = spec.substr(0, eq), task = spec.substr(eq + 1);
    const auto it = std::find_if(models.begin(), models.end(),
                                 [&](const ir::Graph& g) { return g.name == model; });
    if (it == models.end())
      throw Error("--task " + spec + ": no model named '" + model +
                  "' was given (models: " + names + ")");
    if (std::find(known.begin(), known.end(), task) == known.end()) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      throw Error("--task " + spec + ": unknown task '" + task + "' (known: " + list + ")");
    }
    d.task_names[static_cast<size_t>(it - models.begin())] = task;
  }
  for (size_t m = 0; m < models.size(); ++m) {
    if (d.task_names[m].empty()) continue;
    try {
      d.splits[m] = data::load_task(d.task_names[m], split_seed);
    } catch (const Error& e) {
      throw Error("--task " + models[m].name + "=" + d.task_names[m] + ": " + e.what());
    }
    const ir::Graph& g = models[m];
    const int64_t outputs = ir::element_count(g.tensors[static_cast<size_t>(g.outputs.at(0))].dims);
    const size_t classes = d.splits[m].train.class_names.size();
    if (outputs != static_cast<int64_t>(classes))
      throw Error(files[m] + ": model '" + g.name + "' has " + std::to_string(outputs) +
                  " outputs but task " + d.task_names[m] + " has " + std::to_string(classes) +
                  " classes");
    const ir::Dims& in = g.tensors[static_cast<size_t>(g.inputs.at(0))].dims;
    const data::Dataset& train = d.splits[m].train;
    if (ir::Dims(in.begin() + 1, in.end()) !=
        ir::Dims(train.sample_dims.begin(), train.sample_dims.end()))
      throw Error(files[m] + ": model '" + g.name + "' takes " + ir::dims_string(in) +
                  " but task " + d.task_names[m] + " samples are " +
                  ir::dims_string(train.sample_dims));
  }
  return d;
}

}  // namespace yono::train
