// Per-node ONNX -> IR translation.
#pragma once

#include "importer.h"

namespace yono::onnx_import {

// Evaluates n on the host if all its inputs are constants (or, for Shape,
// if its input's shape is known); returns false if n must be translated.
bool try_fold_constant(Importer& imp, const onnx::NodeProto& n);

// Appends the IR ops for n; throws yono::Error naming the node on anything
// unsupported.
void translate_node(Importer& imp, const onnx::NodeProto& n);

}  // namespace yono::onnx_import
