// MCU-sized architecture presets, defined once as IR graphs: the trainer
// builds its torch module from them, the exporter writes them as ONNX and the
// pack writer packs them, so no second definition can drift.
//
//   arch         default for     shape
//   fmnist-cnn   fashion-mnist   conv32-pool-conv64-pool-conv128-pool-dense
//   resnet8                      MLPerf Tiny ResNet-8: 16/32/64 channels, 3 residual stages
//   resnet8-wide cifar10         the same with 16/32/80 channels (104k params, 14.2M MACs)
//   ds-cnn       fsdd            DS-CNN: conv 10x4/2 + 4 depthwise-separable blocks (64 ch)
//   cnn1d        hmp             three 1-D conv blocks + global average pool + dense
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::zoo {

std::vector<std::string> arch_names();

// The preset a task trains by default. Throws yono::Error on an unknown task.
std::string default_arch(const std::string& task);

// The preset for a user's data (`yono train --data` without --arch), from its
// modality ("image", "audio" or "sensor") and channel-first sample shape:
// grey images of 8..48 pixels a side -> fmnist-cnn (its dense layer grows with
// the area), colour up to 32x32 -> resnet8-wide, other images -> resnet8
// (global pooling: any size), audio features -> ds-cnn, sensor windows ->
// cnn1d. Throws yono::Error on an unknown modality.
std::string default_arch_for(const std::string& modality, const std::vector<int64_t>& sample_dims);

// sample_dims is channel-first without the batch ({1,28,28}, {3,96}); the
// graph takes [1, sample_dims...] and returns [1, classes] logits. The graph
// is named after the arch. Throws yono::Error on an unknown arch or an input
// rank the arch cannot take.
ir::Graph build_model(const std::string& arch, const std::vector<int64_t>& sample_dims,
                      int64_t classes, uint64_t seed);

struct ModelCost {
  int64_t params = 0;  // every constant value (BN as scale+shift)
  int64_t macs = 0;    // multiply-accumulates of Conv and Dense per inference
};

ModelCost model_cost(const ir::Graph& g);

}  // namespace yono::zoo
