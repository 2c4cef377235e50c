// Structural rules an ONNX graph must keep before any of it is translated,
// and the finiteness of the weights after it is: a graph that breaks one is
// refused with the file and the offending name, never imported into a pack
// that would compute something other than what the file says.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

#include "yono/compiler/ir/ir.h"

namespace yono::onnx_import {

// Every tensor name has one producer: initializers and graph inputs are
// unique (an initializer may also be listed as an input, as older exporters
// do), no node writes a name that an initializer, a graph input or another
// node already defines, and no graph output is listed twice. Throws
// yono::Error starting with `path`.
void check_graph_names(const onnx::GraphProto& graph, const std::string& path);

// Every float initializer and Constant node value is finite: a NaN or Inf
// weight makes every output NaN on the device. Throws yono::Error naming the
// file, the tensor as the file names it, and the first bad value.
void check_finite_weights(const onnx::GraphProto& graph, const std::string& path);

// The same for the constants the import computed (folded shapes and
// arithmetic): a division by zero in a folded subgraph, say.
void check_finite_constants(const ir::Graph& g, const std::string& path);

}  // namespace yono::onnx_import
