// IR rewrites run by the importers after translation. Each keeps the graph
// valid and topologically ordered; tensors they orphan are removed by
// compact_tensors. They rely on tensor dims being known.
#pragma once

#include "yono/compiler/ir/ir.h"

namespace yono::ir {

// Conv/Dense followed by ChannelAffine (an inference BatchNorm, epsilon
// already applied by the importer) -> Conv/Dense with scaled weights and
// bias, when the Conv/Dense output feeds only the ChannelAffine.
void fold_batchnorm(ir::Graph& g);

// Conv/Dense followed by Add/Sub/Mul of a per-channel or scalar constant
// (e.g. MatMul + Add from nn.Linear) -> folded into the weights and bias,
// under the same single-consumer condition.
void fold_channel_constants(ir::Graph& g);

// Relu or Clip (constant bounds, incl. ReLU6) following Conv, Dense, Binary
// or ChannelAffine -> that op's fused activation, when the producer's output
// feeds only the clamp and is not a graph output.
void fuse_activation(ir::Graph& g);

// Drops ops whose outputs nobody reads (neither an op nor a graph output).
void remove_dead_ops(ir::Graph& g);

// Drops tensors no op or graph input/output references, renumbering the rest.
void compact_tensors(ir::Graph& g);

// All of the above in order. (ONNX Identity/Dropout never reach the IR: the
// importer aliases their outputs to their inputs.)
void run_import_passes(ir::Graph& g);

}  // namespace yono::ir
