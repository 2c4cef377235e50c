// The valid packs the runtime's reader tests break: one of each format
// version, each opening cleanly (PackRules.SamplesOpen).
#pragma once

#include <cstdint>
#include <vector>

#include "pack_test_graphs.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/compiler/quantize/quantize_models.h"

namespace yono::test {

// v1: the image model (Conv, MaxPool, ChannelAffine, GlobalPool, Reshape,
// Dense, Softmax) and the signal model (Conv1d, Add, Sigmoid, Pad, Tanh,
// Concat, Mul by a scalar, Sub of a per-channel constant, AvgPool).
inline const std::vector<uint8_t>& v1_pack() {
  static const std::vector<uint8_t> bytes =
      yono::write_pack({yono::test::image_model("image"), yono::test::signal_model("signal")});
  return bytes;
}

// Codebook 0: K = 20 (not a power of two, so codes 20..31 are representable
// but invalid), D = 3, i8; codebook 1: K = 16, D = 9, f16.
inline std::vector<ir::Codebook> sample_codebooks() {
  return {random_codebook("odd", 20, 3, ir::CodebookDType::kI8, 1),
          random_codebook("half", 16, 9, ir::CodebookDType::kF16, 2)};
}

// v2: model 0 a PQ dense on an i8 codebook with K = 20 (not a power of two),
// model 1 a PQ conv on an f16 codebook (K = 16), model 2 an int8 depthwise
// conv, model 3 an int8 dense. Code blocks 0-3 in that order.
inline const std::vector<uint8_t>& v2_pack() {
  static const std::vector<uint8_t> bytes = [] {
    const std::vector<ir::Codebook> cbs = sample_codebooks();
    auto dense = yono::test::layer_model("dense", LayerKind::kDense, 3);
    yono::test::pq_encode(yono::test::weight_of(dense), cbs[0], 0, 4);
    auto conv = yono::test::layer_model("conv", LayerKind::kConv2d, 5);
    yono::test::pq_encode(yono::test::weight_of(conv), cbs[1], 1, 6);
    auto dw = yono::test::layer_model("dw", LayerKind::kDepthwise, 7);
    yono::test::i8_encode(yono::test::weight_of(dw), 8);
    auto dense8 = yono::test::layer_model("dense8", LayerKind::kDense, 11);
    yono::test::i8_encode(yono::test::weight_of(dense8), 12);
    return yono::write_pack({dense, conv, dw, dense8}, cbs);
  }();
  return bytes;
}

// v3: the v2 pack grown by a fifth model (4, segment 1), a PQ dense on codebook 0.
inline const std::vector<uint8_t>& v3_pack() {
  static const std::vector<uint8_t> bytes = [] {
    const std::vector<ir::Codebook> cbs = sample_codebooks();
    auto added = yono::test::layer_model("added", LayerKind::kDense, 9);
    yono::test::pq_encode(yono::test::weight_of(added), cbs[0], 0, 10);
    const yono::test::OpenedPack base(v2_pack());
    return yono::grow_pack(base.pack, {added}, cbs);
  }();
  return bytes;
}

// Int8 activations (v2): model 0 the image model, model 1 the signal
// model, model 2 a PQ conv whose f16 codebook became int16 lanes (codebook
// 0); each calibrated on 16 seeded inputs. The image model's ChannelAffine
// and Softmax, the signal model's Pad, Concat, Mul and Sub stay f32 between
// Converts.
inline const std::vector<uint8_t>& i8_pack() {
  static const std::vector<uint8_t> bytes = [] {
    std::vector<ir::Codebook> cbs = {random_codebook("half", 16, 9, ir::CodebookDType::kF16, 2)};
    auto conv = layer_model("pqconv", LayerKind::kConv2d, 5);
    pq_encode(weight_of(conv), cbs[0], 0, 6);
    std::vector<ir::Graph> models = {image_model("image"), signal_model("signal"), conv};
    std::vector<std::vector<std::vector<float>>> inputs(models.size());
    std::vector<std::vector<const float*>> samples(models.size());
    for (size_t m = 0; m < models.size(); ++m) {
      const int64_t n = ir::element_count(models[m].tensors[models[m].inputs[0]].dims);
      for (uint32_t i = 0; i < 16; ++i) inputs[m].push_back(seeded_values(n, 40 + i));
      for (const auto& x : inputs[m]) samples[m].push_back(x.data());
    }
    quantize::quantize_models(models, cbs, samples);
    return yono::write_pack(models, cbs);
  }();
  return bytes;
}

}  // namespace yono::test
