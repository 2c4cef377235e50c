// Per-op shape inference, shared by ir::infer_shapes and the ONNX importer
// (which needs each op's output dims as soon as the op is created, to
// resolve Flatten/Reshape/Shape/Pad of what follows).
#pragma once

#include "yono/compiler/ir/ir.h"

namespace yono::ir {

// Checks op's inputs against its attributes, normalises axis attributes and
// returns the dims of its (single) output. Throws yono::Error naming the op.
Dims infer_op_shape(const Graph& g, Op& op);

}  // namespace yono::ir
