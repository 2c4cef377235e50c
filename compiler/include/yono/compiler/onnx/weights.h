// Warm starts: copy the weights of an .onnx written by yono's exporter back
// into a graph of the same architecture, matched by tensor name. Continuing
// a schedule from a trained model (a restart) and fine-tuning need this;
// the importer cannot serve, because it folds BatchNorm away.
#pragma once

#include <string>

#include "yono/compiler/ir/ir.h"

namespace yono {

// Every constant of `g` must find an initializer with its name (or the
// exporter's "<name>/1d" variant) and the same element count; otherwise
// throws yono::Error naming the file and the tensor. Nothing of `g` changes
// unless all match.
void load_weights_by_name(ir::Graph& g, const std::string& onnx_path);

}  // namespace yono
