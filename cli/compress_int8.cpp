#include "compress_int8.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "yono/compiler/error.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/pack/pack_input_layouts.h"
#include "yono/compiler/quantize/quantize_models.h"

namespace yono::cli {
namespace {

std::map<std::string, std::string> calib_files(const Int8Args& a) {
  std::map<std::string, std::string> files;
  for (const std::string& spec : a.calib) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw Error("--calib " + spec + ": expected MODEL=FILE.npy");
    if (!files.emplace(spec.substr(0, eq), spec.substr(eq + 1)).second)
      throw Error("--calib " + spec + ": model given twice");
  }
  return files;
}

int64_t input_count(const ir::Graph& g) {
  return ir::element_count(g.tensors[g.inputs.at(0)].dims);
}

// A --calib array in the model's own layout when the importer folded its
// input Transpose ([N, ...own dims without the batch]) is rearranged to the
// pack's layout, as `yono run` does with one input.
void to_pack_layout_if_folded(const ir::Graph& g, NpyArray& arr) {
  const ir::Tensor& in = g.tensors[g.inputs.at(0)];
  const std::vector<int64_t> sample(arr.shape.begin() + 1, arr.shape.end());
  for (const ir::InputLayout& l : g.input_layouts) {
    if (l.input != in.name) continue;
    const std::vector<int64_t> own = original_dims(in.dims, l.perm);
    if (sample != std::vector<int64_t>(own.begin() + 1, own.end())) continue;
    const size_t n = static_cast<size_t>(ir::element_count(in.dims));
    std::vector<float> out;
    for (int64_t i = 0; i < arr.shape[0]; ++i) {
      const std::vector<float> x(arr.data.begin() + i * n, arr.data.begin() + (i + 1) * n);
      const std::vector<float> y = to_pack_layout(x, in.dims, l.perm);
      out.insert(out.end(), y.begin(), y.end());
    }
    arr.data = std::move(out);
  }
}

}  // namespace

void add_int8_options(CLI::App& cmd, Int8Args& a) {
  cmd.add_option("--activations", a.activations,
                 "f32 (default) or int8: activations quantized per tensor (scale, zero point, "
                 "calibrated on --calib or the --task/--data training split), int16 codebook "
                 "lanes, int32 biases; the quarter-RAM integer path")
      ->check(CLI::IsMember({"f32", "int8"}));
  cmd.add_option("--calib", a.calib,
                 "MODEL=FILE.npy: calibration inputs for int8 activations, [N, ...input shape] "
                 "float32; repeatable")
      ->allow_extra_args(false);
  cmd.add_option("--calib-samples", a.calib_samples,
                 "Training-split inputs calibrating int8 activations (default 512)")
      ->check(CLI::PositiveNumber);
}

void check_int8_args(const Int8Args& a, const std::vector<ir::Graph>& models) {
  if (a.activations != "int8" && !a.calib.empty())
    throw Error("--calib calibrates int8 activations; add --activations int8");
  for (const auto& [model, file] : calib_files(a)) {
    bool known = false;
    for (const ir::Graph& g : models) known = known || g.name == model;
    if (!known) throw Error("--calib " + model + "=" + file + ": no model named " + model);
  }
}

void quantize_activations(CompressedModels& c, const train::FinetuneData& tasks,
                          const Int8Args& a) {
  const std::map<std::string, std::string> files = calib_files(a);
  const std::vector<const data::Dataset*> train = tasks.train_sets();
  std::vector<NpyArray> arrays(c.models.size());
  std::vector<std::vector<const float*>> samples(c.models.size());
  for (size_t m = 0; m < c.models.size(); ++m) {
    const ir::Graph& g = c.models[m];
    const int64_t n = input_count(g);
    const auto file = files.find(g.name);
    if (file != files.end()) {
      arrays[m] = read_npy(file->second);
      NpyArray& arr = arrays[m];
      if (arr.shape.empty() || arr.shape[0] < 1 ||
          static_cast<int64_t>(arr.data.size()) != arr.shape[0] * n)
        throw Error(file->second + ": expected [N, ...] with " + std::to_string(n) +
                    " values per input of model '" + g.name + "', got " +
                    ir::dims_string(arr.shape));
      to_pack_layout_if_folded(g, arr);
      for (int64_t i = 0; i < arr.shape[0]; ++i) samples[m].push_back(arr.data.data() + i * n);
    } else if (m < train.size() && train[m] != nullptr) {
      const data::Dataset& d = *train[m];
      if (static_cast<int64_t>(d.sample_numel()) != n)
        throw Error("model '" + g.name + "': its training samples do not match its input");
      for (size_t i : quantize::spread_indices(d.size(), a.calib_samples))
        samples[m].push_back(d.sample(i));
    }
  }
  const std::vector<quantize::QuantizeSummary> s =
      quantize::quantize_models(c.models, c.codebooks, samples);
  for (size_t m = 0; m < c.models.size(); ++m) {
    std::string f32 = s[m].float_ops.empty() ? "none" : "";
    for (size_t i = 0; i < s[m].float_ops.size(); ++i) f32 += (i ? ", " : "") + s[m].float_ops[i];
    std::printf(
        "int8 activations: %s: %d ops in int8 (calibrated on %zu inputs), %d converts; "
        "f32: %s\n",
        c.models[m].name.c_str(), s[m].int8_ops, samples[m].size(), s[m].converts, f32.c_str());
  }
}

}  // namespace yono::cli
