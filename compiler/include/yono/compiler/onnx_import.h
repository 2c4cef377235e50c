// ONNX (opsets 11-17) -> IR. Unsupported ops raise yono::Error naming the
// node, op type and opset.
#pragma once

#include <string>

#include "yono/compiler/ir.h"

namespace yono {

// Reads an .onnx file and returns a validated, shape-inferred IR graph with
// BatchNorm folded, activations fused and constants folded. model_name
// becomes Graph::name.
ir::Graph import_onnx(const std::string& path, const std::string& model_name);

}  // namespace yono
