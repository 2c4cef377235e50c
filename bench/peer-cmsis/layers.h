// The layers the peer benchmark runs: the conv and dense shapes of
// bench/weight_kernels_bench.cpp, and the cifar10 (ResNet-8, 16/32/80
// channels) and fsdd (DS-CNN) zoo networks layer by layer, as
// compiler/src/zoo/presets.cpp builds them ("same" padding: pad (k - 1) / 2
// before, the rest after) with the PQ sub-vector length models/zoo-i8.yono
// gives each layer (0: the pack keeps that layer's weights int8).
#pragma once

#include <stdint.h>

namespace peer {

enum class Kind : uint8_t { kConv, kDepthwise, kDense, kAdd, kGlobalAvgPool };

struct Layer {
  const char* suite;  // "bench", "cifar10", "fsdd"
  const char* name;
  Kind kind;
  uint32_t in_c, in_h, in_w;  // Dense: in_c features; Add/GlobalAvgPool: c, h, w
  uint32_t out_c;             // Conv/Dense
  uint32_t kh, kw, stride;
  uint32_t pq_dim;  // PQ sub-vector length (K = 256, int16 codebook); 0 = int8 weights
};

extern const Layer kLayers[];
extern const uint32_t kLayerCount;

}  // namespace peer
