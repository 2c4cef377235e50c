// Target shapes of the pure data-movement ops, shared by constant folding
// (host tensors) and translation to IR Reshape ops (activations).
#pragma once

#include "importer.h"

namespace yono::onnx_import {

ir::Dims reshape_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);
ir::Dims flatten_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);
ir::Dims squeeze_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);
ir::Dims unsqueeze_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);

// Transpose's perm (default: reversed axes), checked to be a permutation.
std::vector<int64_t> transpose_perm(const Importer& imp, const onnx::NodeProto& n, size_t rank);

// The input positions a Slice reads along each axis of `in` (starts, ends,
// axes, steps constant; ONNX's clamping), shared by folding and translation.
std::vector<std::vector<int64_t>> slice_positions(const Importer& imp, const onnx::NodeProto& n,
                                                  const ir::Dims& in);

// Normalises a possibly negative axis against rank, failing on out of range.
int64_t normalise_axis(const Importer& imp, const onnx::NodeProto& n, int64_t axis, size_t rank);

// Axes for Squeeze/Unsqueeze/ReduceMean: attribute before `input_since`
// opset, optional constant input 1 from then on.
std::vector<int64_t> axes_of(const Importer& imp, const onnx::NodeProto& n, int input_since);

}  // namespace yono::onnx_import
