// The valid packs the runtime's reader tests break: one of each format
// version, each opening cleanly (PackRules.SamplesOpen).
#pragma once

#include <cstdint>
#include <vector>

#include "pack_test_graphs.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_writer.h"

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

// Int8 activations (v2): int8_models() (pack_test_graphs.h) in one pack.
inline const std::vector<uint8_t>& i8_pack() {
  static const std::vector<uint8_t> bytes = [] {
    const Int8Models m = int8_models();
    return yono::write_pack(m.models, m.codebooks);
  }();
  return bytes;
}

}  // namespace yono::test
