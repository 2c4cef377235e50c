// Activation-aware code assignment (after "And the Bit Goes Down", Stock et
// al. 2020): a PQ code is picked to minimise the layer's output error on
// calibration inputs rather than the error of the weights themselves.
//
// For a sub-vector position j of a layer's rows, the inputs it multiplies
// are the same for every output channel: the im2col patch columns
// [jD, jD + D) (a dense layer: input features). With H_j = sum over
// calibration patches of x_j x_j^T (D x D), the output error of row r is
// s_r^2 (u - c)^T H_j (u - c), u the row's normalised float weights, so the
// code is argmin_c c^T H_j c - 2 c^T H_j u: directions the inputs never
// excite cost nothing, strongly excited ones cost more. Codebooks and
// scales are unchanged; only codes (and the decoded data) move.
//
// Applies to convs with groups == 1 and dense layers; depthwise and grouped
// convs keep their weight-space codes. Inputs come from the float model, so
// one pass captures every layer. Fine-tuning in learned mode re-picks codes
// in weight space every step, so this matters for --finetune none|yono.
// Torch-free header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"

namespace yono::train {

struct ActivationAssignment {
  int layers = 0;             // PQ layers re-assigned
  int64_t codes = 0;          // their codes
  int64_t codes_changed = 0;  // of which differ from the weight-space choice
};

// calibration[m] may be null (model m keeps its codes); at most `samples`
// leading samples of each set are used. Deterministic for a thread count.
ActivationAssignment assign_by_activations(CompressedModels& compressed,
                                           const std::vector<ir::Graph>& originals,
                                           const std::vector<const data::Dataset*>& calibration,
                                           size_t samples, int threads);

}  // namespace yono::train
