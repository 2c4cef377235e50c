// `yono run out.yono [--model NAME] --input x.npy [--output y.npy]`: runs one
// model of a pack on the host exactly as the device would (same runtime,
// same planned arena), to check a pack against a reference framework.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/pack/pack_input_layouts.h"
#include "yono/compiler/pack/pack_labels.h"
#include "yono/session.h"

namespace yono::cli {
namespace {

struct RunOptions {
  std::string pack_path;
  std::string model;
  std::string input;
  std::string output;
};

uint32_t choose_model(const Pack& pack, const RunOptions& opt) {
  if (!opt.model.empty()) {
    uint32_t index = 0;
    if (pack.find_model(opt.model.c_str(), &index) != Status::kOk) {
      throw Error(opt.pack_path + ": no model named '" + opt.model +
                  "'; models: " + model_names(pack));
    }
    return index;
  }
  if (pack.model_count() != 1) {
    throw Error(opt.pack_path + " holds " + std::to_string(pack.model_count()) + " models (" +
                model_names(pack) + "); choose one with --model");
  }
  return 0;
}

void run_model(const RunOptions& opt) {
  check_outputs_distinct({opt.pack_path, opt.input}, {opt.output});
  const std::unique_ptr<LoadedPack> loaded = load_pack(opt.pack_path);
  const Pack& pack = loaded->pack;
  const uint32_t model = choose_model(pack, opt);
  const std::string model_label = std::string("model '") + pack.model_name(model) + "'";
  if (pack.input_count(model) != 1 || pack.output_count(model) != 1) {
    throw Error(opt.pack_path + ": " + model_label + " has " +
                std::to_string(pack.input_count(model)) + " inputs and " +
                std::to_string(pack.output_count(model)) + " outputs; run supports one of each");
  }
  TensorInfo in_info{}, out_info{};
  if (pack.input_info(model, 0, &in_info) != Status::kOk ||
      pack.output_info(model, 0, &out_info) != Status::kOk) {
    throw Error(opt.pack_path + ": cannot describe the tensors of " + model_label);
  }

  AlignedBuffer arena = host_arena(pack, {model}, opt.pack_path);
  NpyArray x = read_npy(opt.input);
  if (x.data.size() != in_info.element_count) {
    throw Error(opt.input + ": has " + std::to_string(x.data.size()) + " values but " +
                model_label + " input '" + in_info.name + "' " +
                shape_string(in_info.dims, in_info.rank) + " needs " +
                std::to_string(in_info.element_count));
  }

  // Same count in another layout would run silently wrong: the array must
  // have the input's shape (with or without the batch axis), be flat (1-D)
  // on purpose, or have the model's own shape when the importer folded its
  // input Transpose (then it is rearranged to the pack's layout here).
  const std::vector<int64_t> want(in_info.dims, in_info.dims + in_info.rank);
  auto without_batch = [](const std::vector<int64_t>& d) {
    return std::vector<int64_t>(d.empty() ? d.begin() : d.begin() + 1, d.end());
  };
  const PackInputLayouts layouts = read_input_layouts(pack);
  const auto folded = layouts.find(pack.model_name(model));
  if (folded != layouts.end() && x.shape != want && x.shape != without_batch(want)) {
    for (const ir::InputLayout& l : folded->second) {
      const std::vector<int64_t> own = original_dims(want, l.perm);
      if (l.input != in_info.name || l.perm.size() != want.size() ||
          (x.shape != own && x.shape != without_batch(own)))
        continue;
      x.data = to_pack_layout(x.data, want, l.perm);
      x.shape = want;
      std::fprintf(stderr, "%s: %s rearranged to the pack's layout %s\n", opt.input.c_str(),
                   ir::dims_string(own).c_str(), ir::dims_string(want).c_str());
    }
  }
  if (x.shape.size() > 1 && x.shape != want && x.shape != without_batch(want)) {
    throw Error(opt.input + ": has shape " + ir::dims_string(x.shape) + " but " + model_label +
                " input '" + in_info.name + "' is " + shape_string(in_info.dims, in_info.rank) +
                " (reorder the array, or flatten it to 1-D if the order is right)");
  }

  Session session(pack, arena.data(), arena.size());
  Status status = session.select(model);
  if (status != Status::kOk) {
    throw Error(opt.pack_path + ": cannot select " + model_label + ": " + status_string(status));
  }
  const TensorView input = session.input(0);
  if (input.data == nullptr || input.element_count != x.data.size()) {
    throw Error(opt.pack_path + ": session input of " + model_label + " is not usable");
  }
  std::copy(x.data.begin(), x.data.end(), input.data);
  status = session.invoke();
  if (status != Status::kOk) {
    throw Error(opt.pack_path + ": running " + model_label + " failed: " + status_string(status));
  }
  const TensorView output = session.output(0);
  if (output.data == nullptr) {
    throw Error(opt.pack_path + ": session output of " + model_label + " is not usable");
  }
  const std::vector<float> y(output.data, output.data + output.element_count);

  if (!opt.output.empty()) {
    write_npy(opt.output, std::vector<int64_t>(out_info.dims, out_info.dims + out_info.rank), y);
  } else {
    for (const float v : y) std::printf("%.9g\n", static_cast<double>(v));
  }
  // The class the model predicts, by name when the pack carries its labels;
  // on stderr, so stdout stays the output values.
  const PackLabels labels = read_labels(pack);
  const auto classes = labels.find(pack.model_name(model));
  if (classes != labels.end() && classes->second.size() == y.size() && !y.empty()) {
    const size_t best = static_cast<size_t>(std::max_element(y.begin(), y.end()) - y.begin());
    std::fflush(stdout);  // the values first, however the two streams are captured
    std::fprintf(stderr, "predicted: %s (class %zu of %zu)\n", classes->second[best].c_str(), best,
                 y.size());
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opt = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run one model of a pack on a .npy input");
  cmd->footer("Example:\n  yono run ab.yono --model a --input x.npy --output y.npy");
  cmd->add_option("pack", opt->pack_path, "Pack file")->required();
  cmd->add_option("--model", opt->model, "Model name (required if the pack holds several)");
  cmd->add_option("-i,--input", opt->input, "Input tensor, .npy float32 (or float64)")->required();
  cmd->add_option("-o,--output", opt->output,
                  "Write the output tensor as .npy float32 (default: print values)");
  cmd->callback([opt] { run_model(*opt); });
}

}  // namespace yono::cli
