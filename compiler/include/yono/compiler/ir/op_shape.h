// Per-op shape inference, shared by ir::infer_shapes and the ONNX importer
// (which needs each op's output dims as soon as the op is created, to
// resolve Flatten/Reshape/Shape/Pad of what follows).
#pragma once

#include "yono/compiler/ir/ir.h"

namespace yono::ir {

// Checks op's inputs against its attributes, normalises axis attributes and
// returns the dims of its (single) output. Throws yono::Error naming the op.
Dims infer_op_shape(const Graph& g, Op& op);

// True if a Binary op takes a and b as they are: equal shapes, a scalar on
// either side, or one side per-channel ([C], [C,1], [1,C,1,1], ...) of the
// other. Any other numpy broadcast must be expanded first.
bool binary_operands_fit(const Dims& a, const Dims& b);

// numpy broadcast of two shapes; throws yono::Error if they do not broadcast.
Dims broadcast_dims(const Dims& a, const Dims& b);

}  // namespace yono::ir
