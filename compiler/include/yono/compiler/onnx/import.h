// ONNX (opsets 11-17) -> IR. Unsupported ops raise yono::Error naming the
// node, op type and opset.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono {

// Reads an .onnx file and returns a validated, shape-inferred IR graph with
// BatchNorm folded, activations fused and constants folded. model_name
// becomes Graph::name.
ir::Graph import_onnx(const std::string& path, const std::string& model_name);

// Imports every model file (all before anything is written, so a bad input
// never leaves a pack behind). Names default to the file's stem; `names`, if
// given, has one per model. Throws yono::Error naming the file.
std::vector<ir::Graph> import_onnx_models(const std::vector<std::string>& paths,
                                          const std::vector<std::string>& names);

}  // namespace yono
