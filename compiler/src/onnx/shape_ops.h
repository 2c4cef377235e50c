// Target shapes of the pure data-movement ops, shared by constant folding
// (host tensors) and translation to IR Reshape ops (activations).
#pragma once

#include "importer.h"

namespace yono::onnx_import {

ir::Dims reshape_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);
ir::Dims flatten_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);
ir::Dims squeeze_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);
ir::Dims unsqueeze_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in);

// A gather stores one position per output index of each axis (and the
// importer lists them while translating), so an axis sum past this is
// refused: 2^18 entries are 1 MB of tables, far past a microcontroller.
constexpr int64_t kMaxGatherPositions = int64_t{1} << 18;

// Fails naming the node if `dims` (a gather's input or output) would need
// more than kMaxGatherPositions positions.
void check_gather_positions(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& dims);

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
