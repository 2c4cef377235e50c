// Layer discovery, grouping and keep rules.
#include "layers.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <variant>

#include "yono/compiler/error.h"

namespace yono::compress {
namespace {

// A conv is depthwise when each group sees one input channel; its rows are a
// single kernel slice, which the pointwise group's short D suits better.
LayerGroup conv_group(const ir::ConvAttrs& a, const ir::Dims& w) {
  const bool depthwise = a.groups > 1 && w.size() >= 2 && w[1] == 1;
  return (a.kh * a.kw > 1 && !depthwise) ? LayerGroup::kKxk : LayerGroup::kPointwise;
}

}  // namespace

std::vector<Layer> find_layers(const std::vector<ir::Graph>& models) {
  std::vector<Layer> layers;
  for (size_t m = 0; m < models.size(); ++m) {
    const ir::Graph& g = models[m];
    std::set<int> seen;
    for (const ir::Op& op : g.ops) {
      const auto* conv = std::get_if<ir::ConvAttrs>(&op.attrs);
      const bool dense = std::holds_alternative<ir::DenseAttrs>(op.attrs);
      if ((conv == nullptr && !dense) || op.inputs.size() < 2) continue;
      const int w = op.inputs[1];
      if (w < 0 || static_cast<size_t>(w) >= g.tensors.size()) continue;
      const ir::Tensor& t = g.tensors[static_cast<size_t>(w)];
      if (!t.is_constant || t.dims.empty() || t.dims[0] <= 0 || !seen.insert(w).second) continue;
      const int64_t count = ir::element_count(t.dims);
      Layer l;
      l.model = m;
      l.tensor = w;
      l.name = op.name;
      l.rows = static_cast<uint32_t>(t.dims[0]);
      l.row_len = static_cast<uint32_t>(count / t.dims[0]);
      if (conv != nullptr) {
        l.group = conv_group(*conv, t.dims);
        l.kernel = static_cast<uint32_t>(conv->kh * conv->kw);
      }
      if (l.row_len == 0) continue;
      layers.push_back(std::move(l));
    }
  }
  return layers;
}

void apply_keep_rules(std::vector<Layer>& layers, const std::vector<ir::Graph>& models,
                      const CompressOptions& o) {
  std::map<std::string, bool> named;  // name -> matched some layer
  for (const std::string& n : o.keep_layers) named[n] = false;
  std::map<size_t, size_t> first, last;  // model -> layer index
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    const ir::Tensor& t = models[l.model].tensors[static_cast<size_t>(l.tensor)];
    if (ir::element_count(t.dims) < o.keep_min_weights) {
      l.keep = l.kept_for_size = true;
      l.keep_reason = fmt::format("fewer than {} weights (--keep-min-weights)", o.keep_min_weights);
    }
    const std::string label = layer_label(l, models);
    for (const std::string* n : {static_cast<const std::string*>(&l.name), &t.name, &label}) {
      auto it = named.find(*n);
      if (it != named.end()) {
        it->second = true;
        l.keep = true;
        l.kept_for_size = false;
        l.keep_reason = "--keep-layer " + *n;
      }
    }
    first.emplace(l.model, i);
    last[l.model] = i;
  }
  if (o.keep_first) {
    for (const auto& [model, i] : first) {
      layers[i].keep = true;
      layers[i].kept_for_size = false;
      layers[i].keep_reason = "first layer of its model (--keep-first)";
    }
  }
  if (o.keep_last) {
    for (const auto& [model, i] : last) {
      layers[i].keep = true;
      layers[i].kept_for_size = false;
      layers[i].keep_reason = "last layer of its model (--keep-last)";
    }
  }
  for (const auto& [name, matched] : named) {
    if (!matched) {
      throw Error(
          fmt::format("--keep-layer {}: no conv or dense layer of any model has this name", name));
    }
  }
}

void apply_layer_dims(std::vector<Layer>& layers, const std::vector<ir::Graph>& models,
                      const CompressOptions& o) {
  for (const auto& [name, dim] : o.layer_dims) {
    bool matched = false;
    for (Layer& l : layers) {
      const ir::Tensor& t = models[l.model].tensors[static_cast<size_t>(l.tensor)];
      if (l.name != name && t.name != name && layer_label(l, models) != name) continue;
      if (l.keep && !l.kept_for_size) {
        throw Error(
            fmt::format("--layer-dim {}={}: layer '{}' is kept by --keep-layer, --keep-first or "
                        "--keep-last, so it has no codebook",
                        name, dim, layer_label(l, models)));
      }
      l.keep = l.kept_for_size = false;
      l.keep_reason.clear();
      l.dim = dim;
      matched = true;
    }
    if (!matched) {
      throw Error(fmt::format(
          "--layer-dim {}={}: no conv or dense layer of any model has this name", name, dim));
    }
  }
}

std::vector<LayerChoice> explain_choices(const std::vector<Layer>& layers,
                                         const CompressedModels& out, const CompressOptions& o) {
  std::vector<LayerChoice> choices;
  for (const Layer& l : layers) {
    const ir::Tensor& t = out.models[l.model].tensors[static_cast<size_t>(l.tensor)];
    LayerChoice c;
    c.model = l.model;
    c.layer = l.name;
    c.weights = ir::element_count(t.dims);
    if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
      const ir::Codebook& cb = out.codebooks[static_cast<size_t>(pq->codebook)];
      c.encoding = "pq";
      c.codebook = cb.name;
      c.dim = cb.dim;
      c.codewords = cb.codeword_count;
      if (o.method == CompressMethod::kKmeansScalar) {
        c.reason = "--method kmeans-scalar: its own scalar codebook";
      } else if (l.dim != 0) {
        c.reason = fmt::format("--layer-dim {}: sub-vectors of {} weights", l.dim, l.dim);
      } else {
        c.reason = fmt::format("{} group's codebook", layer_group_name(l.group));
      }
    } else {
      c.encoding = std::holds_alternative<ir::Int8Encoding>(t.encoding) ? "int8" : "f32";
      c.reason = l.keep ? "kept: " + l.keep_reason : "--method int8";
    }
    choices.push_back(std::move(c));
  }
  return choices;
}

std::string layer_label(const Layer& layer, const std::vector<ir::Graph>& models) {
  return models[layer.model].name + "/" + layer.name;
}

}  // namespace yono::compress
