// Builders for AxisGatherAttrs, the IR's one data-movement op: every ONNX
// layout or indexing op the importer meets (Transpose, Slice, Gather, Split,
// Expand, nearest Resize, edge/reflect Pad) is a choice, per output axis, of
// which input positions to read, so it is built here once from that choice.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::ir {

// Output axis k reads input positions picks[k] along input axis k (same
// rank as `in`); `out` is the output tensor's dims (picks' sizes, or those
// with some size-1 axes dropped, as Gather with a scalar index does).
AxisGatherAttrs pick_gather(const Dims& in, const std::vector<std::vector<int64_t>>& picks,
                            Dims out, std::string source);

// Output axis k is input axis perm[k] (perm a permutation of 0..rank-1).
AxisGatherAttrs transpose_gather(const Dims& in, const std::vector<int64_t>& perm,
                                 std::string source);

// The flat input index of every output element, in output order.
std::vector<int64_t> flat_indices(const AxisGatherAttrs& a);

// True if the gather reads every input element exactly once (a permutation
// of an input with `input_elements` elements).
bool is_permutation(const AxisGatherAttrs& a, int64_t input_elements);

}  // namespace yono::ir
