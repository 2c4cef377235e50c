// The data of `yono compress --task MODEL=TASK / --data MODEL=DIR`: every
// model's split, loaded and checked against the model before any slow step runs.
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

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// "MODEL=VALUE" -> the model's index, its spec's task or folder set.
void parse_spec(const std::string& flag, const std::string& spec, bool is_task,
                const data::UserDataOptions& options, const std::vector<ir::Graph>& models,
                FinetuneData& d) {
  const char* form = is_task ? "MODEL=TASK" : "MODEL=DIR";
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw Error(flag + " " + spec + ": expected " + form);
  const std::string model = spec.substr(0, eq), value = spec.substr(eq + 1);
  const auto it = std::find_if(models.begin(), models.end(),
                               [&](const ir::Graph& g) { return g.name == model; });
  if (it == models.end()) {
    std::vector<std::string> names;
    for (const ir::Graph& g : models) names.push_back(g.name);
    throw Error(flag + " " + spec + ": no model named '" + model +
                "' was given (models: " + joined(names) + ")");
  }
  const auto m = static_cast<size_t>(it - models.begin());
  if (!d.task_names[m].empty())
    throw Error(flag + " " + spec + ": model '" + model + "' already has data (" + d.task_names[m] +
                "); give one --task or --data per model");
  if (is_task) {
    const std::vector<std::string> known = data::known_tasks();
    if (std::find(known.begin(), known.end(), value) == known.end())
      throw Error(flag + " " + spec + ": unknown task '" + value + "' (known: " + joined(known) +
                  ")");
    d.specs[m].task = value;
  } else {
    d.specs[m].dir = value;
    d.specs[m].options = options;
  }
  d.task_names[m] = value;
}

void check_fits(const ir::Graph& g, const std::string& file, const std::string& data_name,
                const data::Dataset& train) {
  const int64_t outputs = ir::element_count(g.tensors[static_cast<size_t>(g.outputs.at(0))].dims);
  const size_t classes = train.class_names.size();
  if (outputs != static_cast<int64_t>(classes))
    throw Error(file + ": model '" + g.name + "' has " + std::to_string(outputs) + " outputs but " +
                data_name + " has " + std::to_string(classes) + " classes");
  if (!g.class_names.empty() && g.class_names != train.class_names)
    throw Error(file + ": model '" + g.name + "' was trained on classes [" + joined(g.class_names) +
                "] but " + data_name + " has [" + joined(train.class_names) + "]");
  const ir::Dims& in = g.tensors[static_cast<size_t>(g.inputs.at(0))].dims;
  if (ir::Dims(in.begin() + 1, in.end()) !=
      ir::Dims(train.sample_dims.begin(), train.sample_dims.end()))
    throw Error(file + ": model '" + g.name + "' takes " + ir::dims_string(in) + " but " +
                data_name + " samples are " + ir::dims_string(train.sample_dims));
}

}  // namespace

FinetuneData load_finetune_data(const std::vector<std::string>& task_specs,
                                const std::vector<std::string>& data_specs,
                                const data::UserDataOptions& data_options, uint64_t split_seed,
                                const std::vector<ir::Graph>& models,
                                const std::vector<std::string>& files) {
  FinetuneData d;
  d.task_names.assign(models.size(), "");
  d.specs.resize(models.size());
  d.descriptions.resize(models.size());
  d.splits.resize(models.size());
  for (const std::string& spec : task_specs) parse_spec("--task", spec, true, {}, models, d);
  for (const std::string& spec : data_specs)
    parse_spec("--data", spec, false, data_options, models, d);
  for (size_t m = 0; m < models.size(); ++m) {
    if (d.task_names[m].empty()) continue;
    const data::DataSpec& spec = d.specs[m];
    const std::string flag = spec.task.empty() ? "--data " : "--task ";
    try {
      d.splits[m] = data::load_split(spec, split_seed, &d.descriptions[m]);
    } catch (const Error& e) {
      throw Error(flag + models[m].name + "=" + d.task_names[m] + ": " + e.what());
    }
    check_fits(models[m], files[m], spec.task.empty() ? "data " + spec.dir : "task " + spec.task,
               d.splits[m].train);
  }
  return d;
}

}  // namespace yono::train
