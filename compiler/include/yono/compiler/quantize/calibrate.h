// Post-training calibration: the range of every activation of a float model
// over sample inputs, measured by running the runtime itself (the values
// the int8 model must represent are the ones the device computes).
#pragma once

#include <limits>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::quantize {

struct TensorRange {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  bool seen() const { return min <= max; }
};

// Runs `g` on each sample (input 0's element count of floats each) and
// returns, per tensor index of `g`, the smallest and largest value it held;
// constants stay unseen. NaN values are ignored. Throws yono::Error on a
// graph the pack writer refuses or a model with more than one input.
std::vector<TensorRange> calibrate(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks,
                                   const std::vector<const float*>& samples);

}  // namespace yono::quantize
