#include "yono/compiler/quantize/quantize_models.h"

#include <algorithm>

#include "yono/compiler/error.h"
#include "yono/compiler/quantize/calibrate.h"
#include "yono/compiler/quantize/integer_codebooks.h"

namespace yono::quantize {

std::vector<QuantizeSummary> quantize_models(
    std::vector<ir::Graph>& models, std::vector<ir::Codebook>& codebooks,
    const std::vector<std::vector<const float*>>& samples) {
  if (samples.size() != models.size())
    throw Error("int8 activations: calibration samples for " + std::to_string(samples.size()) +
                " of " + std::to_string(models.size()) + " models");
  for (size_t m = 0; m < models.size(); ++m)
    if (samples[m].empty())
      throw Error("model '" + models[m].name +
                  "': int8 activations need calibration samples (--task, --data or --calib)");
  to_integer_codebooks(models, codebooks);
  std::vector<QuantizeSummary> summaries(models.size());
  for (size_t m = 0; m < models.size(); ++m) {
    const std::vector<TensorRange> ranges = calibrate(models[m], codebooks, samples[m]);
    models[m] = quantize_graph(models[m], ranges, codebooks, &summaries[m]);
  }
  return summaries;
}

std::vector<size_t> spread_indices(size_t size, size_t count) {
  count = std::min(count, size);
  std::vector<size_t> indices(count);
  for (size_t i = 0; i < count; ++i) indices[i] = i * size / count;
  return indices;
}

}  // namespace yono::quantize
