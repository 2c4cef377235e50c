// The int8 rewrite of a calibrated float graph (integer execution,
// docs/pack-format.md). Every op with an int8 kernel runs in int8: Conv and
// Dense (per-channel int8 or PQ weights over an int16 codebook, int32
// biases, a per-channel requantization table), max/average Pool and
// GlobalPool and the data-movement ops (keeping their input's quantization),
// Unary (a 256-entry table of the float function), Add of two equal-shaped
// activations. Other ops stay f32; Convert ops go where the two meet, and
// the model's inputs and outputs stay f32 with their names.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/compiler/quantize/calibrate.h"

namespace yono::quantize {

struct QuantizeSummary {
  int int8_ops = 0;
  int converts = 0;
  std::vector<std::string> float_ops;  // "name (type)" of every op left f32
};

// `ranges` come from calibrate() on `g`. Conv/Dense weights stored as f32
// become per-channel int8; PQ weights need their codebook as kI16
// (to_integer_codebooks), else the op stays f32. Activations never seen in
// calibration get the range [0, 0]. Throws yono::Error on a graph the
// rewrite cannot express.
ir::Graph quantize_graph(const ir::Graph& g, const std::vector<TensorRange>& ranges,
                         const std::vector<ir::Codebook>& codebooks,
                         QuantizeSummary* summary = nullptr);

}  // namespace yono::quantize
