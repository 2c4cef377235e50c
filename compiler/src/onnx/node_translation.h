// Per-node ONNX -> IR translation.
#pragma once

#include <string>
#include <vector>

#include "importer.h"

namespace yono::onnx_import {

// Evaluates n on the host if all its inputs are constants (or, for Shape,
// if its input's shape is known); returns false if n must be translated.
bool try_fold_constant(Importer& imp, const onnx::NodeProto& n);

// Appends the IR ops for n; throws yono::Error naming the node on anything
// unsupported.
void translate_node(Importer& imp, const onnx::NodeProto& n);

// True if the op (in the default domain) has a translator.
bool is_supported_op(const onnx::NodeProto& n);

// The translation table, for docs/onnx-ops.md and `yono import --list-ops`.
struct SupportedOp {
  std::string op;
  int since;           // first opset of 11-17 with the op
  std::string limits;  // what is refused; empty if nothing
};
std::vector<SupportedOp> supported_ops();  // sorted by op name

// Ops evaluated on the host when all their inputs are constants (shape
// arithmetic); they are refused on computed inputs unless also translated.
std::vector<std::string> folded_ops();  // sorted

}  // namespace yono::onnx_import
