// Int8 activations for a whole pack: codebooks to int16 lanes, then each
// model calibrated on its samples and rewritten (quantize_graph.h).
#pragma once

#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/compiler/quantize/quantize_graph.h"

namespace yono::quantize {

// samples[m]: model m's calibration inputs (input 0's element count of
// floats each), at least one per model. Returns what each rewrite did.
// Throws yono::Error naming a model without samples.
std::vector<QuantizeSummary> quantize_models(std::vector<ir::Graph>& models,
                                             std::vector<ir::Codebook>& codebooks,
                                             const std::vector<std::vector<const float*>>& samples);

// `count` indices spread evenly over [0, size): i * size / count, so the
// choice covers the whole split in its stored order with no random state.
std::vector<size_t> spread_indices(size_t size, size_t count);

}  // namespace yono::quantize
