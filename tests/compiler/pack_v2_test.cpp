// Pack format v2: encoded (PQ and per-channel int8) Conv/Dense weights run
// straight from the pack and must match the float pack of the decoded
// weights; codebooks are shared across models; version and scratch rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/crc32.h"
#include "yono/format.h"
#include "yono/half_float.h"
#include "yono/pack.h"
#include "yono/pq.h"
#include "yono/session.h"

namespace {

using yono::Status;
using yono::ir::CodebookDType;
using yono::test::LayerKind;

// Runs every model of `bytes` on seeded inputs; outputs per model.
std::vector<std::vector<float>> run_all(const std::vector<uint8_t>& bytes) {
  const yono::AlignedBuffer buf(bytes);
  yono::Pack pack;
  EXPECT_EQ(yono::Pack::open(buf.data(), buf.size(), &pack), Status::kOk);
  std::vector<std::vector<float>> outputs;
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const size_t need = pack.arena_size(m);
    yono::AlignedBuffer arena(std::vector<uint8_t>(need == 0 ? 16 : need, 0xAB));
    yono::Session s(pack, arena.data(), need);
    EXPECT_EQ(s.select(m), Status::kOk);
    yono::TensorView in = s.input(0);
    const auto values = yono::test::seeded_values(in.element_count, 77 + m);
    std::copy(values.begin(), values.end(), in.data);
    EXPECT_EQ(s.invoke(), Status::kOk);
    yono::TensorView out = s.output(0);
    outputs.emplace_back(out.data, out.data + out.element_count);
  }
  return outputs;
}

void expect_same_outputs(const std::vector<yono::ir::Graph>& graphs,
                         const std::vector<yono::ir::Codebook>& codebooks,
                         const std::string& what) {
  std::vector<yono::ir::Graph> plain;
  for (const auto& g : graphs) plain.push_back(yono::test::strip_encodings(g));
  const auto encoded = run_all(yono::write_pack(graphs, codebooks));
  const auto reference = run_all(yono::write_pack(plain));
  ASSERT_EQ(encoded.size(), reference.size());
  for (size_t m = 0; m < encoded.size(); ++m) {
    ASSERT_EQ(encoded[m].size(), reference[m].size());
    float worst = 0.0f;
    for (size_t i = 0; i < encoded[m].size(); ++i)
      worst = std::max(worst, std::fabs(encoded[m][i] - reference[m][i]));
    EXPECT_LE(worst, 1e-5f) << what << ", model " << graphs[m].name;
  }
}

const LayerKind kAllKinds[] = {LayerKind::kConv1d, LayerKind::kConv2d, LayerKind::kDepthwise,
                               LayerKind::kDense};

// One codebook shared by a model of every layer kind.
std::vector<yono::ir::Graph> pq_models(const yono::ir::Codebook& cb, uint32_t seed) {
  std::vector<yono::ir::Graph> graphs;
  for (LayerKind kind : kAllKinds) {
    auto g = yono::test::layer_model("m" + std::to_string(graphs.size()), kind, seed);
    yono::test::pq_encode(yono::test::weight_of(g), cb, 0, seed + 7 * graphs.size());
    graphs.push_back(std::move(g));
  }
  return graphs;
}

TEST(PackV2, PqLayersMatchFloatOnDecodedWeights) {
  uint32_t seed = 1;
  for (uint32_t k : {16u, 256u, 1024u, 4096u})
    for (uint32_t d : {1u, 4u, 8u, 9u})
      for (CodebookDType dt : {CodebookDType::kF32, CodebookDType::kF16, CodebookDType::kI8}) {
        const auto cb = yono::test::random_codebook("shared", k, d, dt, ++seed);
        expect_same_outputs(pq_models(cb, seed), {cb},
                            "K=" + std::to_string(k) + " D=" + std::to_string(d) +
                                " dtype=" + std::to_string(static_cast<int>(dt)));
      }
}

TEST(PackV2, Int8LayersMatchFloatOnDecodedWeights) {
  std::vector<yono::ir::Graph> graphs;
  for (LayerKind kind : kAllKinds) {
    auto g = yono::test::layer_model("i" + std::to_string(graphs.size()), kind, 40);
    yono::test::i8_encode(yono::test::weight_of(g), 41 + static_cast<uint32_t>(graphs.size()));
    graphs.push_back(std::move(g));
  }
  expect_same_outputs(graphs, {}, "int8");
}

// f16 scales (PQ and int8 layers) decode to the same weights as the float
// pack of their decoded data, and take half the bytes of f32 ones.
TEST(PackV2, F16ScalesMatchFloatOnDecodedWeights) {
  const auto cb = yono::test::random_codebook("shared", 256, 4, CodebookDType::kF16, 31);
  std::vector<yono::ir::Graph> half, full;
  for (auto scales : {yono::ir::ScaleDType::kF16, yono::ir::ScaleDType::kF32}) {
    auto& graphs = scales == yono::ir::ScaleDType::kF16 ? half : full;
    for (LayerKind kind : kAllKinds) {
      auto g = yono::test::layer_model("p" + std::to_string(graphs.size()), kind, 50);
      yono::test::pq_encode(yono::test::weight_of(g), cb, 0, 51, scales);
      graphs.push_back(std::move(g));
      auto h = yono::test::layer_model("q" + std::to_string(graphs.size()), kind, 52);
      yono::test::i8_encode(yono::test::weight_of(h), 53, scales);
      graphs.push_back(std::move(h));
    }
  }
  expect_same_outputs(half, {cb}, "f16 scales");
  const auto half_bytes = yono::write_pack(half, {cb});
  const yono::AlignedBuffer buf(half_bytes);
  yono::Pack pack;
  ASSERT_EQ(yono::Pack::open(buf.data(), buf.size(), &pack), Status::kOk);
  for (uint32_t b = 0; b < pack.segment(0).code_block_count; ++b)
    EXPECT_EQ(pack.segment(0).code_blocks[b].scale_dtype,
              static_cast<uint16_t>(yono::ScaleDType::kF16));
  EXPECT_LT(half_bytes.size(), yono::write_pack(full, {cb}).size());
}

// Two codebooks of different dtypes, each shared by two models, next to an
// int8 layer and a float model, and the encoded layers actually read them.
std::pair<std::vector<yono::ir::Graph>, std::vector<yono::ir::Codebook>> mixed_pack() {
  std::vector<yono::ir::Codebook> cbs = {
      yono::test::random_codebook("kxk", 300, 9, CodebookDType::kF16, 5),
      yono::test::random_codebook("1x1", 64, 4, CodebookDType::kI8, 6)};
  auto a = yono::test::layer_model("a", LayerKind::kConv2d, 10);
  auto b = yono::test::layer_model("b", LayerKind::kDepthwise, 11);
  auto c = yono::test::layer_model("c", LayerKind::kDense, 12);
  auto d = yono::test::layer_model("d", LayerKind::kConv1d, 13);
  auto e = yono::test::layer_model("e", LayerKind::kDense, 14);
  auto f = yono::test::layer_model("f", LayerKind::kConv2d, 15);
  yono::test::pq_encode(yono::test::weight_of(a), cbs[0], 0, 20);
  yono::test::pq_encode(yono::test::weight_of(b), cbs[0], 0, 21);
  yono::test::pq_encode(yono::test::weight_of(c), cbs[1], 1, 22);
  yono::test::pq_encode(yono::test::weight_of(d), cbs[1], 1, 23);
  yono::test::i8_encode(yono::test::weight_of(e), 24);
  return {{a, b, c, d, e, f}, cbs};
}

TEST(PackV2, SharedCodebooksMixedWithInt8AndFloat) {
  const auto [graphs, cbs] = mixed_pack();
  expect_same_outputs(graphs, cbs, "mixed");

  const auto bytes = yono::write_pack(graphs, cbs);
  const yono::AlignedBuffer buf(bytes);
  yono::Pack pack;
  ASSERT_EQ(yono::Pack::open(buf.data(), buf.size(), &pack), Status::kOk);
  EXPECT_EQ(pack.version(), yono::kPackVersion);
  ASSERT_EQ(pack.codebook_count(), 2u);
  EXPECT_EQ(pack.codebooks()[0].dtype, static_cast<uint32_t>(yono::CodebookDType::kF16));
  EXPECT_EQ(pack.codebooks()[1].dtype, static_cast<uint32_t>(yono::CodebookDType::kI8));
  EXPECT_GT(pack.codebooks()[1].value_scale, 0.0f);
  EXPECT_STREQ(pack.codebook_name(0), "kxk");
  ASSERT_EQ(pack.segment(0).code_block_count, 5u);
  // Both models of a codebook point at the same record.
  uint32_t uses[2] = {0, 0};
  const yono::PackSegment& seg = pack.segment(0);
  for (uint32_t i = 0; i < seg.code_block_count; ++i)
    if (seg.code_blocks[i].codebook < 2) ++uses[seg.code_blocks[i].codebook];
  EXPECT_EQ(uses[0], 2u);
  EXPECT_EQ(uses[1], 2u);
}

TEST(PackV2, ScratchIsPlannedAtTheArenaEnd) {
  const auto [graphs, cbs] = mixed_pack();
  const auto bytes = yono::write_pack(graphs, cbs);
  const yono::AlignedBuffer buf(bytes);
  yono::Pack pack;
  ASSERT_EQ(yono::Pack::open(buf.data(), buf.size(), &pack), Status::kOk);
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const yono::ModelRecord& r = pack.models()[m];
    EXPECT_EQ(r.scratch_size % 16, 0u);
    for (uint32_t t = 0; t < r.tensor_count; ++t) {
      const yono::TensorRecord& tr = pack.model_segment(m).tensors[r.first_tensor + t];
      if (tr.kind == static_cast<uint8_t>(yono::TensorKind::kActivation)) {
        EXPECT_LE(tr.offset + tr.size, r.arena_size - r.scratch_size);
      }
    }
  }
  // a: 3x3 conv over 4 channels, row 36 -> 4 codewords of 9; c: dense (0);
  // e: int8 dense; f: float.
  yono::ConvParams p{};
  p.in_c = 4;
  p.groups = 1;
  p.kh = p.kw = 3;
  yono::PqWeights w{};
  w.dim = 9;
  w.subvectors_per_row = 4;
  const uint32_t need_a = yono::conv_pq_scratch_floats(p, w) * 4;
  EXPECT_GE(pack.scratch_size(0), need_a);
  EXPECT_LT(pack.scratch_size(0), need_a + 16);
  EXPECT_EQ(pack.scratch_size(5), 0u);  // float model: arena as in v1

  // The float model's arena equals the one of a v1 pack of it alone.
  const auto v1 = yono::write_pack({graphs[5]});
  const yono::AlignedBuffer buf1(v1);
  yono::Pack pack1;
  ASSERT_EQ(yono::Pack::open(buf1.data(), buf1.size(), &pack1), Status::kOk);
  EXPECT_EQ(pack1.version(), yono::kPackVersionFloat);
  EXPECT_EQ(pack1.arena_size(0), pack.arena_size(5));
}

// One Session and one arena, switched through every PQ/int8 model forwards,
// backwards and back and forth: each run equals that model run alone in a
// fresh arena, bit for bit (no model depends on another's leftovers).
TEST(PackV2, SwitchingBetweenEncodedModelsInOneArenaIsRepeatable) {
  const auto [graphs, cbs] = mixed_pack();
  const std::vector<uint8_t> bytes = yono::write_pack(graphs, cbs);
  const auto alone = run_all(bytes);
  const yono::AlignedBuffer buf(bytes);
  yono::Pack pack;
  ASSERT_EQ(yono::Pack::open(buf.data(), buf.size(), &pack), Status::kOk);
  size_t need = 16;
  for (uint32_t m = 0; m < pack.model_count(); ++m)
    need = std::max<size_t>(need, pack.arena_size(m));
  yono::AlignedBuffer arena(std::vector<uint8_t>(need, 0xAB));
  yono::Session s(pack, arena.data(), need);
  std::vector<uint32_t> order;
  const uint32_t n = pack.model_count();
  for (uint32_t m = 0; m < n; ++m) order.push_back(m);
  for (uint32_t m = n; m-- > 0;) order.push_back(m);
  for (uint32_t i = 0; i < 3 * n; ++i) order.push_back((i * 5 + 2) % n);
  for (const uint32_t m : order) {
    ASSERT_EQ(s.select(m), Status::kOk);
    yono::TensorView in = s.input(0);
    const auto values = yono::test::seeded_values(in.element_count, 77 + m);
    std::copy(values.begin(), values.end(), in.data);
    ASSERT_EQ(s.invoke(), Status::kOk);
    const yono::TensorView out = s.output(0);
    EXPECT_EQ(std::vector<float>(out.data, out.data + out.element_count), alone[m])
        << "model " << pack.model_name(m) << " after switching";
  }
}

TEST(PackV2, Deterministic) {
  const auto [graphs, cbs] = mixed_pack();
  EXPECT_EQ(yono::write_pack(graphs, cbs), yono::write_pack(graphs, cbs));
}

// ---- version rules ----

void set_version(std::vector<uint8_t>& b, uint16_t v) {
  std::memcpy(b.data() + offsetof(yono::PackHeader, version), &v, 2);
  yono::PackHeader h;
  std::memcpy(&h, b.data(), sizeof(h));
  h.header_crc = 0;
  std::memcpy(b.data(), &h, sizeof(h));
  h.header_crc = yono::crc32(b.data(), sizeof(h) + h.section_count * sizeof(yono::SectionEntry));
  std::memcpy(b.data(), &h, sizeof(h));
}

Status open_status(const std::vector<uint8_t>& bytes) {
  const yono::AlignedBuffer buf(bytes);
  yono::Pack pack;
  return yono::Pack::open(buf.data(), buf.size(), &pack);
}

uint16_t version_of(const std::vector<uint8_t>& b) {
  uint16_t v;
  std::memcpy(&v, b.data() + offsetof(yono::PackHeader, version), 2);
  return v;
}

TEST(PackV2, VersionFollowsContent) {
  const auto plain = yono::test::layer_model("p", LayerKind::kDense, 3);
  EXPECT_EQ(version_of(yono::write_pack({plain})), yono::kPackVersionFloat);
  auto i8 = plain;
  yono::test::i8_encode(yono::test::weight_of(i8), 4);
  EXPECT_EQ(version_of(yono::write_pack({i8})), yono::kPackVersion);
  // A codebook alone makes it v2 even if nothing references it.
  const auto cb = yono::test::random_codebook("unused", 16, 4, CodebookDType::kF32, 5);
  const auto with_cb = yono::write_pack({plain}, {cb});
  EXPECT_EQ(version_of(with_cb), yono::kPackVersion);
  EXPECT_EQ(open_status(with_cb), Status::kOk);
}

TEST(PackV2, ReaderVersionRules) {
  const auto [graphs, cbs] = mixed_pack();
  auto v2 = yono::write_pack(graphs, cbs);
  auto v1 = yono::write_pack({graphs[5]});
  EXPECT_EQ(open_status(v1), Status::kOk);
  // v2 without the optional sections is a valid v2 pack.
  auto v1_as_v2 = v1;
  set_version(v1_as_v2, yono::kPackVersion);
  EXPECT_EQ(open_status(v1_as_v2), Status::kOk);
  // A v1 pack may not carry codebooks or encoded tensors.
  auto v2_as_v1 = v2;
  set_version(v2_as_v1, yono::kPackVersionFloat);
  EXPECT_NE(open_status(v2_as_v1), Status::kOk);
  for (uint16_t bad : {0, 4, 0xFFFF}) {
    auto b = v2;
    set_version(b, bad);
    EXPECT_EQ(open_status(b), Status::kUnsupportedVersion) << bad;
  }
  // Version 3 (grown) names where its table is; 0 is inside the header.
  auto v2_as_v3 = v2;
  set_version(v2_as_v3, yono::kPackVersionGrown);
  EXPECT_EQ(open_status(v2_as_v3), Status::kBadSection);
}

// ---- writer rejects what the format cannot express ----

TEST(PackV2, WriterRejectsBadEncodings) {
  const auto cb = yono::test::random_codebook("cb", 16, 4, CodebookDType::kF32, 9);
  auto base = yono::test::layer_model("m", LayerKind::kConv2d, 1);
  yono::test::pq_encode(yono::test::weight_of(base), cb, 0, 2);

  EXPECT_THROW(yono::write_pack({base}, {}), yono::Error);  // codebook index out of range

  auto bias = yono::test::layer_model("m", LayerKind::kConv2d, 1);
  yono::test::i8_encode(bias.tensors[static_cast<size_t>(bias.ops[0].inputs[2])], 3);
  EXPECT_THROW(yono::write_pack({bias}), yono::Error);  // only weights may be encoded

  auto big_code = base;
  std::get<yono::ir::PqEncoding>(yono::test::weight_of(big_code).encoding).codes[3] = 16;
  EXPECT_THROW(yono::write_pack({big_code}, {cb}), yono::Error);

  auto short_codes = base;
  std::get<yono::ir::PqEncoding>(yono::test::weight_of(short_codes).encoding).codes.pop_back();
  EXPECT_THROW(yono::write_pack({short_codes}, {cb}), yono::Error);

  auto few_scales = base;
  std::get<yono::ir::PqEncoding>(yono::test::weight_of(few_scales).encoding).scales.pop_back();
  EXPECT_THROW(yono::write_pack({few_scales}, {cb}), yono::Error);

  auto bad_i8 = yono::test::layer_model("m", LayerKind::kDense, 1);
  yono::test::i8_encode(yono::test::weight_of(bad_i8), 3);
  std::get<yono::ir::Int8Encoding>(yono::test::weight_of(bad_i8).encoding).values.pop_back();
  EXPECT_THROW(yono::write_pack({bad_i8}), yono::Error);

  auto f16 = yono::test::random_codebook("h", 16, 4, CodebookDType::kF16, 9);
  f16.centroids[5] = 0.1f;  // not a binary16 value
  EXPECT_THROW(yono::write_pack({base}, {f16}), yono::Error);

  auto i8cb = yono::test::random_codebook("q", 16, 4, CodebookDType::kI8, 9);
  i8cb.centroids[5] = 0.5f * i8cb.centroids[0] + 0.001f;  // not a multiple of the step
  EXPECT_THROW(yono::write_pack({base}, {i8cb}), yono::Error);

  auto odd_scale = yono::test::layer_model("m", LayerKind::kDense, 1);
  yono::test::i8_encode(yono::test::weight_of(odd_scale), 3, yono::ir::ScaleDType::kF16);
  std::get<yono::ir::Int8Encoding>(yono::test::weight_of(odd_scale).encoding).scales[0] = 0.1f;
  EXPECT_THROW(yono::write_pack({odd_scale}), yono::Error);  // 0.1 is not a binary16 value

  auto ragged = cb;
  ragged.centroids.pop_back();
  EXPECT_THROW(yono::write_pack({base}, {ragged}), yono::Error);

  auto tiny = yono::test::random_codebook("k1", 2, 4, CodebookDType::kF32, 9);
  tiny.codeword_count = 1;
  tiny.centroids.resize(4);
  EXPECT_THROW(yono::write_pack({yono::test::strip_encodings(base)}, {tiny}), yono::Error);
}

TEST(PackV2, WriterRejectsEncodedNonWeightInputs) {
  // ChannelAffine scale encoded: the runtime could not decode it.
  auto g = yono::test::image_model("img");
  for (const auto& op : g.ops)
    if (std::holds_alternative<yono::ir::ChannelAffineAttrs>(op.attrs)) {
      yono::test::i8_encode(g.tensors[static_cast<size_t>(op.inputs[1])], 5);
    }
  EXPECT_THROW(yono::write_pack({g}), yono::Error);
}

// ---- reader rejects encoded records it cannot trust ----

struct V2Layout {
  size_t codebooks = 0, codebooks_size = 0, blocks = 0, blocks_size = 0, weights = 0;
};

V2Layout v2_layout(const std::vector<uint8_t>& b) {
  yono::PackHeader h;
  std::memcpy(&h, b.data(), sizeof(h));
  V2Layout l;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    yono::SectionEntry e;
    std::memcpy(&e, b.data() + sizeof(h) + i * sizeof(e), sizeof(e));
    if (e.type == static_cast<uint32_t>(yono::SectionType::kCodebooks)) {
      l.codebooks = e.offset, l.codebooks_size = e.size;
    } else if (e.type == static_cast<uint32_t>(yono::SectionType::kCodeBlocks)) {
      l.blocks = e.offset, l.blocks_size = e.size;
    } else if (e.type == static_cast<uint32_t>(yono::SectionType::kWeights)) {
      l.weights = e.offset;
    }
  }
  return l;
}

void fix_crcs(std::vector<uint8_t>& b) {
  yono::PackHeader h;
  std::memcpy(&h, b.data(), sizeof(h));
  for (uint32_t i = 0; i < h.section_count; ++i) {
    yono::SectionEntry e;
    std::memcpy(&e, b.data() + sizeof(h) + i * sizeof(e), sizeof(e));
    e.crc32 = yono::crc32(b.data() + e.offset, e.size);
    std::memcpy(b.data() + sizeof(h) + i * sizeof(e), &e, sizeof(e));
  }
  set_version(b, h.version);  // recomputes the header CRC
}

TEST(PackV2, ReaderRejectsCodeOutOfRange) {
  // K = 20 needs 5 bits, so codes 20..31 are representable but invalid.
  const auto cb = yono::test::random_codebook("cb", 20, 3, CodebookDType::kF32, 9);
  auto g = yono::test::layer_model("m", LayerKind::kDense, 1);
  yono::test::pq_encode(yono::test::weight_of(g), cb, 0, 2);
  auto b = yono::write_pack({g}, {cb});
  ASSERT_EQ(open_status(b), Status::kOk);
  const V2Layout l = v2_layout(b);
  yono::CodeBlockRecord r;
  std::memcpy(&r, b.data() + l.blocks, sizeof(r));
  ASSERT_EQ(r.code_bits, 5u);
  // Last code of the block: bits [5 * (n - 1), 5 * n).
  const uint32_t n = r.rows * r.subvectors_per_row;
  for (uint32_t i = 0; i < 5; ++i) {
    const uint32_t bit = 5 * (n - 1) + i;
    b[l.weights + r.data_offset + bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
  }
  fix_crcs(b);
  EXPECT_EQ(open_status(b), Status::kBadTensor);
}

// Offsets of the TensorRecords of `bytes` whose dtype is `dtype`.
std::vector<size_t> tensor_records_of(const std::vector<uint8_t>& b, yono::DType dtype) {
  yono::PackHeader h;
  std::memcpy(&h, b.data(), sizeof(h));
  std::vector<size_t> at;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    yono::SectionEntry e;
    std::memcpy(&e, b.data() + sizeof(h) + i * sizeof(e), sizeof(e));
    if (e.type != static_cast<uint32_t>(yono::SectionType::kTensors)) continue;
    for (size_t r = e.offset; r < e.offset + e.size; r += sizeof(yono::TensorRecord))
      if (b[r + offsetof(yono::TensorRecord, dtype)] == static_cast<uint8_t>(dtype))
        at.push_back(r);
  }
  return at;
}

// Rounds the only op's bias to halves and marks it stored as f16.
void half_bias(yono::ir::Graph& g) {
  yono::ir::Tensor& b = g.tensors[static_cast<size_t>(g.ops[0].inputs[2])];
  for (float& v : b.data) v = yono::half_to_float(yono::float_to_half(v));
  b.stored = yono::ir::FloatDType::kF16;
}

// f16 biases (every kernel: f32, PQ and int8 weights) compute exactly what
// the f32 pack of the same values does, and take 2 bytes less per channel.
TEST(PackV2, F16BiasesMatchFloatBiases) {
  const auto cb = yono::test::random_codebook("shared", 64, 3, CodebookDType::kF16, 61);
  std::vector<yono::ir::Graph> graphs;
  for (LayerKind kind : kAllKinds) {
    auto f = yono::test::layer_model("f" + std::to_string(graphs.size()), kind, 62);
    auto p = yono::test::layer_model("p" + std::to_string(graphs.size()), kind, 63);
    yono::test::pq_encode(yono::test::weight_of(p), cb, 0, 64);
    auto q = yono::test::layer_model("q" + std::to_string(graphs.size()), kind, 65);
    yono::test::i8_encode(yono::test::weight_of(q), 66);
    for (auto* g : {&f, &p, &q}) {
      half_bias(*g);
      graphs.push_back(std::move(*g));
    }
  }
  expect_same_outputs(graphs, {cb}, "f16 biases");
  const auto bytes = yono::write_pack(graphs, {cb});
  EXPECT_EQ(tensor_records_of(bytes, yono::DType::kF16).size(), graphs.size());
  auto full = graphs;
  for (auto& g : full)
    g.tensors[static_cast<size_t>(g.ops[0].inputs[2])].stored = yono::ir::FloatDType::kF32;
  EXPECT_LT(bytes.size(), yono::write_pack(full, {cb}).size());
}

TEST(PackV2, WriterRefusesF16AnywhereButABias) {
  auto g = yono::test::layer_model("m", LayerKind::kConv2d, 70);
  yono::test::weight_of(g).stored = yono::ir::FloatDType::kF16;
  EXPECT_THROW(yono::write_pack({g}, {}), yono::Error);
  auto h = yono::test::layer_model("m", LayerKind::kDense, 71);
  h.tensors[static_cast<size_t>(h.ops[0].inputs[2])].stored = yono::ir::FloatDType::kF16;
  EXPECT_THROW(yono::write_pack({h}, {}), yono::Error);  // random floats are not halves
  half_bias(h);
  EXPECT_NO_THROW(yono::write_pack({h}, {}));
}

TEST(PackV2, ReaderRefusesF16AnywhereButABias) {
  auto g = yono::test::layer_model("m", LayerKind::kDense, 72);
  half_bias(g);
  const auto good = yono::write_pack({g}, {});
  ASSERT_EQ(open_status(good), Status::kOk);
  const auto biases = tensor_records_of(good, yono::DType::kF16);
  ASSERT_EQ(biases.size(), 1u);
  const size_t bias = biases[0];
  auto patched = [&](size_t record, size_t field, uint32_t v, size_t width) {
    auto b = good;
    std::memcpy(b.data() + record + field, &v, width);
    fix_crcs(b);
    return open_status(b);
  };
  // The bias's own record: size must be 2 per value, offset 2-aligned, kind constant.
  EXPECT_NE(patched(bias, offsetof(yono::TensorRecord, size), 24, 4), Status::kOk);
  EXPECT_NE(patched(bias, offsetof(yono::TensorRecord, offset), 1, 4), Status::kOk);
  EXPECT_NE(patched(bias, offsetof(yono::TensorRecord, kind), 0, 1), Status::kOk);
  // f32 weights relabelled f16 (size halved to match): input 1 may not be f16.
  const auto weights = tensor_records_of(good, yono::DType::kF32);
  size_t w = 0;
  for (size_t r : weights)
    if (good[r + offsetof(yono::TensorRecord, kind)] == 1) w = r;  // the only f32 constant
  ASSERT_NE(w, 0u);
  auto b = good;
  b[w + offsetof(yono::TensorRecord, dtype)] = static_cast<uint8_t>(yono::DType::kF16);
  uint32_t size;
  std::memcpy(&size, b.data() + w + offsetof(yono::TensorRecord, size), 4);
  size /= 2;
  std::memcpy(b.data() + w + offsetof(yono::TensorRecord, size), &size, 4);
  fix_crcs(b);
  EXPECT_EQ(open_status(b), Status::kBadOp);
}

TEST(PackV2, ReaderRejectsInconsistentRecords) {
  const auto [graphs, cbs] = mixed_pack();
  const auto good = yono::write_pack(graphs, cbs);
  const V2Layout l = v2_layout(good);
  auto patch = [&](size_t at, uint32_t v) {
    auto b = good;
    std::memcpy(b.data() + at, &v, 4);
    fix_crcs(b);
    return open_status(b);
  };
  const size_t cb0 = l.codebooks, blk0 = l.blocks;
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, codeword_count), 1), Status::kOk);
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, dim), 0), Status::kOk);
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, dim), 257), Status::kOk);
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, dtype), 4), Status::kOk);
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, data_offset), 2), Status::kOk);
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, reserved), 1), Status::kOk);
  const size_t cb1 = l.codebooks + sizeof(yono::CodebookRecord);  // the i8 codebook
  uint32_t nan_bits = 0x7FC00000u, zero = 0;
  EXPECT_NE(patch(cb1 + offsetof(yono::CodebookRecord, value_scale), nan_bits), Status::kOk);
  EXPECT_NE(patch(cb1 + offsetof(yono::CodebookRecord, value_scale), zero), Status::kOk);
  EXPECT_NE(patch(cb0 + offsetof(yono::CodebookRecord, value_scale), 0x3F800000u), Status::kOk);
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, codebook), 7), Status::kOk);
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, code_bits), 16), Status::kOk);
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, subvectors_per_row), 1), Status::kOk);
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, rows), 3), Status::kOk);
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, scales_offset), 2), Status::kOk);
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, data_size), 1), Status::kOk);
  auto patch16 = [&](size_t at, uint16_t v) {
    auto b = good;
    std::memcpy(b.data() + at, &v, 2);
    fix_crcs(b);
    return open_status(b);
  };
  EXPECT_NE(patch16(blk0 + offsetof(yono::CodeBlockRecord, scale_dtype), 2), Status::kOk);
  // f16 scales need half the bytes: the same offset stays valid.
  EXPECT_EQ(patch16(blk0 + offsetof(yono::CodeBlockRecord, scale_dtype), 1), Status::kOk);
  // Pointing a PQ tensor at the codebook of another dim breaks row layout.
  EXPECT_NE(patch(blk0 + offsetof(yono::CodeBlockRecord, codebook), 1), Status::kOk);
}

}  // namespace
