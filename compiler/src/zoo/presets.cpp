// The preset definitions. Batch norms carry no conv bias in front of them
// (it would be absorbed by the shift anyway).
#include <algorithm>
#include <functional>
#include <map>

#include "yono/compiler/error.h"
#include "yono/compiler/zoo/graph_builder.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace yono::zoo {
namespace {

using Body = std::function<int(GraphBuilder&, int)>;

struct Preset {
  size_t sample_rank;  // 3 for images/spectrograms {C,H,W}, 2 for sequences {C,L}
  Body body;           // input -> features fed to the classifier
};

// Fashion-MNIST: three VGG-style blocks; the last pool keeps a 3x3 map so the
// classifier still sees where strokes are (global pooling costs ~1 pp here).
int fmnist_cnn(GraphBuilder& b, int x) {
  x = b.max_pool(b.conv_bn_relu2d(x, 32, 3), 2, 2);
  x = b.max_pool(b.conv_bn_relu2d(x, 64, 3), 2, 2);
  x = b.max_pool(b.conv_bn_relu2d(x, 128, 3), 2, 2);
  return b.flatten(x);
}

// MLPerf Tiny's ResNet-8 (about 78k parameters, 12.5M MACs on 32x32x3).
int residual_stage(GraphBuilder& b, int x, int64_t channels, int64_t stride) {
  int y = b.conv_bn_relu2d(x, channels, 3, stride);
  y = b.batch_norm(b.conv2d(y, channels, 3, 3));
  int shortcut = x;
  if (stride != 1 || b.channels(x) != channels)
    shortcut = b.batch_norm(b.conv2d(x, channels, 1, 1, stride));
  return b.relu(b.add(y, shortcut));
}

// ResNet-8's stem and stages, with the last stage's width as the one knob.
int resnet8_body(GraphBuilder& b, int x, int64_t last_channels) {
  x = b.conv_bn_relu2d(x, 16, 3);
  x = residual_stage(b, x, 16, 1);
  x = residual_stage(b, x, 32, 2);
  x = residual_stage(b, x, last_channels, 2);
  return b.global_avg_pool(x);
}

int resnet8(GraphBuilder& b, int x) {
  return resnet8_body(b, x, 64);
}

// ResNet-8 with an 80-channel last stage: the 8x8 stage costs 64 MACs per
// weight against 1024 at 32x32, so the spare parameter and MAC budget (150k,
// 15M) buys most capacity there; the 32x32 stage already fills the 192 KiB arena.
int resnet8_wide(GraphBuilder& b, int x) {
  return resnet8_body(b, x, 80);
}

// Keyword-spotting DS-CNN (Zhang et al. "Hello Edge"; MLPerf Tiny KWS) on
// 49 frames x 40 mel bands: a strided 10x4 conv, then depthwise-separable
// blocks at 64 channels.
int ds_cnn(GraphBuilder& b, int x) {
  x = b.relu(b.batch_norm(b.conv2d(x, 64, 10, 4, 2)));
  for (int i = 0; i < 4; ++i) {
    // The first block halves the 25x20 map again: 64 channels at 25x20 in
    // and out of one layer would need 250 KB of arena.
    x = b.relu(b.batch_norm(b.depthwise2d(x, 3, i == 0 ? 2 : 1)));
    x = b.conv_bn_relu2d(x, 64, 1);
  }
  return b.global_avg_pool(x);
}

// HMP accelerometer windows {x, y, z, |a|; 160 samples}.
int cnn1d(GraphBuilder& b, int x) {
  auto block = [&](int t, int64_t channels, int64_t k) {
    return b.relu(b.batch_norm(b.conv1d(t, channels, k)));
  };
  x = b.max_pool(block(x, 32, 5), 2, 2);
  x = b.max_pool(block(x, 64, 5), 2, 2);
  x = block(x, 128, 3);
  x = block(x, 128, 3);
  return b.global_avg_pool(x);
}

const std::map<std::string, Preset>& presets() {
  static const std::map<std::string, Preset> table = {
      {"fmnist-cnn", {3, fmnist_cnn}},
      {"resnet8", {3, resnet8}},
      {"resnet8-wide", {3, resnet8_wide}},
      {"ds-cnn", {3, ds_cnn}},
      {"cnn1d", {2, cnn1d}},
  };
  return table;
}

}  // namespace

std::vector<std::string> arch_names() {
  std::vector<std::string> names;
  for (const auto& entry : presets()) names.push_back(entry.first);
  return names;
}

std::string default_arch(const std::string& task) {
  if (task == "fashion-mnist") return "fmnist-cnn";
  if (task == "cifar10") return "resnet8-wide";
  if (task == "fsdd" || task == "fsdd-mfcc") return "ds-cnn";
  if (task == "hmp") return "cnn1d";
  throw Error("no default architecture for task '" + task + "'");
}

std::string default_arch_for(const std::string& modality, const std::vector<int64_t>& sample_dims) {
  if (modality == "audio") return "ds-cnn";
  if (modality == "sensor") return "cnn1d";
  if (modality != "image") throw Error("no default architecture for " + modality + " data");
  if (sample_dims.size() != 3) throw Error("image samples must be {channels, height, width}");
  const int64_t channels = sample_dims[0], side = std::min(sample_dims[1], sample_dims[2]),
                longest = std::max(sample_dims[1], sample_dims[2]);
  // fmnist-cnn pools three times (8 -> 1) and flattens what is left.
  if (channels == 1 && side >= 8 && longest <= 48) return "fmnist-cnn";
  if (channels == 3 && longest <= 32) return "resnet8-wide";
  return "resnet8";
}

ir::Graph build_model(const std::string& arch, const std::vector<int64_t>& sample_dims,
                      int64_t classes, uint64_t seed) {
  auto it = presets().find(arch);
  if (it == presets().end()) {
    std::string known;
    for (const std::string& name : arch_names()) known += (known.empty() ? "" : ", ") + name;
    throw Error("unknown architecture '" + arch + "' (known: " + known + ")");
  }
  if (sample_dims.size() != it->second.sample_rank)
    throw Error("architecture '" + arch + "' takes " + std::to_string(it->second.sample_rank) +
                "-D samples, got " + ir::dims_string(sample_dims));
  GraphBuilder b(arch, seed);
  ir::Dims input_dims = {1};
  input_dims.insert(input_dims.end(), sample_dims.begin(), sample_dims.end());
  int features = it->second.body(b, b.input("input", input_dims));
  ir::Graph g = b.finish({b.dense(features, classes)});
  g.tensors[static_cast<size_t>(g.outputs[0])].name = "logits";
  return g;
}

}  // namespace yono::zoo
