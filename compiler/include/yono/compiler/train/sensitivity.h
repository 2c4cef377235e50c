// Which layers quantization hurts: for every encoded conv/dense weight of a
// compressed pack, the validation accuracy lost when only that layer takes
// its decoded weights (all others float), beside the cheap proxy the YONO
// paper ranks layers by (mean |w - decoded| per weight). The measured drop
// decides where bits go; the rank correlation says whether the proxy would
// have chosen the same layers. Torch-free header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"

namespace yono::train {

struct LayerSensitivity {
  size_t model = 0;
  std::string layer;     // op name
  std::string encoding;  // "pq", "int8"
  int64_t weights = 0;
  double error_per_weight = 0;  // mean |original - decoded|
  double accuracy = 0;          // validation top-1 with only this layer decoded, in [0, 1]
  double drop = 0;              // float accuracy - accuracy, in [0, 1]
};

struct ModelSensitivity {
  std::string model;
  double float_accuracy = 0;  // validation top-1 of the float model
  // Spearman correlation of error_per_weight with drop over the model's
  // layers (1: the proxy ranks them as the measurement does); 0 with fewer
  // than two layers.
  double proxy_rank_correlation = 0;
};

struct SensitivityReport {
  std::vector<LayerSensitivity> layers;  // model then op order
  std::vector<ModelSensitivity> models;  // one per model with data
};

// `validation[m]` may be null: model m is skipped. At most `max_samples`
// samples of each set are used (0: all). Deterministic.
SensitivityReport layer_sensitivity(const CompressedModels& compressed,
                                    const std::vector<ir::Graph>& originals,
                                    const std::vector<const data::Dataset*>& validation,
                                    size_t max_samples, int threads);

// Spearman's rank correlation (average ranks for ties); 0 when either side
// is constant or has fewer than two values.
double rank_correlation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace yono::train
