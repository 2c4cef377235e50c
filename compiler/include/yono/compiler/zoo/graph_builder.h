// Writes IR graphs layer by layer, the way model definitions read: each call
// adds one op, infers its output shape at once (so a mistake is reported at
// the layer that makes it) and returns the output tensor. Weights are
// initialised like PyTorch's defaults from a seeded, platform-independent
// generator, so the same seed gives the same untrained model everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::zoo {

class GraphBuilder {
 public:
  GraphBuilder(std::string graph_name, uint64_t seed);

  int input(const std::string& name, ir::Dims dims);

  // "Same"-style padding: (k-1)/2 before, the rest after (asymmetric for even
  // kernels, as Keras/TensorFlow pad). Input [1,C,H,W].
  int conv2d(int x, int64_t out_channels, int64_t kh, int64_t kw, int64_t stride = 1,
             int64_t groups = 1, bool bias = false);
  int depthwise2d(int x, int64_t k, int64_t stride = 1) {
    return conv2d(x, channels(x), k, k, stride, channels(x), false);
  }
  int conv1d(int x, int64_t out_channels, int64_t k, int64_t stride = 1, int64_t groups = 1,
             bool bias = false);

  // An eval-mode BatchNorm (scale 1, shift 0 until trained) as ChannelAffine.
  int batch_norm(int x);
  int relu(int x);
  int max_pool(int x, int64_t k, int64_t stride);  // 2-D when x is [1,C,H,W], else 1-D
  int avg_pool(int x, int64_t k, int64_t stride);
  int global_avg_pool(int x);  // -> [1, C]
  int flatten(int x);          // -> [1, N]
  int dense(int x, int64_t out_features, bool bias = true);
  int add(int a, int b);
  int softmax(int x);

  // conv + batch_norm + relu: the block almost every preset is made of.
  int conv_bn_relu2d(int x, int64_t out_channels, int64_t k, int64_t stride = 1) {
    return relu(batch_norm(conv2d(x, out_channels, k, k, stride)));
  }

  const ir::Dims& dims(int t) const { return g_.tensors[static_cast<size_t>(t)].dims; }
  int64_t channels(int t) const { return dims(t).at(1); }

  // Marks the outputs, validates and returns the graph.
  ir::Graph finish(const std::vector<int>& outputs);

 private:
  int constant(const std::string& name, ir::Dims dims, std::vector<float> data);
  int uniform_constant(const std::string& name, ir::Dims dims, float bound);
  int emit(const std::string& kind, ir::Attrs attrs, std::vector<int> inputs);
  int pool(int x, ir::PoolKind kind, int64_t k, int64_t stride);
  float next_uniform();  // [0, 1)

  ir::Graph g_;
  uint64_t rng_state_;
  int counter_ = 0;
};

}  // namespace yono::zoo
