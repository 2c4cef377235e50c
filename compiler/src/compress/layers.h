// Internal to compress_models: which weight tensors are "layers", their group
// and whether a keep rule leaves them out of the chosen method.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/ir/ir.h"

namespace yono::compress {

struct Layer {
  size_t model = 0;
  int tensor = -1;   // weight tensor index in its model
  std::string name;  // op name
  LayerGroup group = LayerGroup::kPointwise;
  uint32_t kernel = 1;  // kh * kw of a conv, 1 for dense
  uint32_t rows = 0;    // output channels
  uint32_t row_len = 0;
  bool keep = false;
  bool kept_for_size = false;  // kept only by --keep-min-weights (a default, not a choice)
  std::string keep_reason;     // for the compress report: which rule kept it
  uint32_t dim = 0;            // --layer-dim: the layer's own D; 0 = its group's
};

// Conv and dense weight tensors of every model, in model then op order. A
// tensor used by several ops is listed once, for its first op.
std::vector<Layer> find_layers(const std::vector<ir::Graph>& models);

// Marks the layers the keep options select. Throws yono::Error for a
// --keep-layer name that matches no layer.
void apply_keep_rules(std::vector<Layer>& layers, const std::vector<ir::Graph>& models,
                      const CompressOptions& options);

// Gives the layers --layer-dim names their D. A layer kept only because it
// is small (--keep-min-weights) is quantized after all: naming it is the
// more specific choice. Throws yono::Error for a name that matches no layer,
// or a layer --keep-layer, --keep-first or --keep-last keeps.
void apply_layer_dims(std::vector<Layer>& layers, const std::vector<ir::Graph>& models,
                      const CompressOptions& options);

std::string layer_label(const Layer& layer, const std::vector<ir::Graph>& models);  // "m/op"

// What each layer became and why, once the encoders have run.
std::vector<LayerChoice> explain_choices(const std::vector<Layer>& layers,
                                         const CompressedModels& out,
                                         const CompressOptions& options);

// Checks option values that need no model; throws yono::Error.
void check_options(const CompressOptions& options);

}  // namespace yono::compress
