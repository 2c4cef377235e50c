// The codebooks of a pack as int16 lanes, so int8 Conv/Dense kernels can
// multiply PQ weights in integers (format.h, CodebookDType::kI16).
#pragma once

#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::quantize {

// Rewrites every codebook some PQ weight uses as kI16: value_scale =
// max|c| / V, each centroid rounded to an int16 multiple of it, with V as
// large as keeps an int8 layer's accumulator within 2^30 (half the int32
// range, the rest left for the bias) over the longest row using the
// codebook: 255 * V * row_length <= 2^30, V <= 32767. Every PQ tensor's
// decoded `data` is recomputed from the new centroids, so the float
// reference stays exactly what the runtime computes. Also checks that
// per-channel int8 weights keep the same bound. Throws yono::Error on a
// row too long for it.
void to_integer_codebooks(std::vector<ir::Graph>& models, std::vector<ir::Codebook>& codebooks);

}  // namespace yono::quantize
