// ONNX (opsets 11-17) -> IR. Unsupported ops raise yono::Error naming the
// node, op type and opset.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono {

struct OnnxImportOptions {
  // NaN/Inf weights are refused unless this is set (`--allow-nonfinite`):
  // for a graph that computes through them on purpose, e.g. -Inf masks.
  bool allow_nonfinite = false;
};

// Reads an .onnx file and returns a validated, shape-inferred IR graph with
// BatchNorm folded, activations fused and constants folded. model_name
// becomes Graph::name. A graph with two producers for a name, a graph output
// listed twice, a shape too large to address or a non-finite weight is
// refused with yono::Error naming the file.
ir::Graph import_onnx(const std::string& path, const std::string& model_name,
                      const OnnxImportOptions& options = {});

// Imports every model file (all before anything is written, so a bad input
// never leaves a pack behind). Names default to the file's stem; `names`, if
// given, has one per model. Throws yono::Error naming the file.
std::vector<ir::Graph> import_onnx_models(const std::vector<std::string>& paths,
                                          const std::vector<std::string>& names,
                                          const OnnxImportOptions& options = {});

}  // namespace yono
