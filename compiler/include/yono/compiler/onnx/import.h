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
  // A Transpose reading a graph input (a channels-last model's first node)
  // is folded into the input: the pack then takes the permuted layout and
  // nothing moves at run time. Off (`--keep-input-layout`): the pack takes
  // the model's own input layout and a gather permutes it on the device.
  bool fold_input_transposes = true;
};

// What `yono import --explain` reports for one file.
struct ImportExplanation {
  std::vector<std::string> refusals;  // every node that cannot be imported, and why
  std::vector<std::string> notes;     // folds applied (accepted models)
  size_t nodes = 0;                   // ONNX nodes, and the IR ops they became
  size_t ops = 0;
};

// Like import_onnx, but goes on past a refused node (its outputs' shapes
// from ONNX shape inference) to list every one. Throws yono::Error only if
// the file cannot be read at all.
ImportExplanation explain_onnx_import(const std::string& path,
                                      const OnnxImportOptions& options = {});

// The importer's table, for `yono import --list-ops` and docs/onnx-ops.md:
// one Markdown document listing every supported op with its opsets and
// limits, and the ops only evaluated at import on constants.
std::string supported_ops_markdown();

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
