// Growing a pack by models (`yono add`, format v3 segments): the base's bytes
// stay where they were, the grown pack runs every model exactly as before,
// the over-the-air delta is the new model plus a few hundred bytes, and the
// reader's segment and table rules are each pinned by a refused patch.
#include "yono/compiler/pack/pack_growth.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/compiler/pack/pack_sizes.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/compiler/pack/single_model_pack.h"
#include "yono/crc32.h"
#include "yono/format.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace {

using yono::Status;
using yono::ir::CodebookDType;
using yono::test::LayerKind;

using Opened = yono::test::OpenedPack;

// Output of `model` (by name) on seeded input, run in `arena`, which other
// models may have used before.
std::vector<float> run(const yono::Pack& pack, const std::string& model,
                       yono::AlignedBuffer& arena) {
  uint32_t m = 0;
  EXPECT_EQ(pack.find_model(model.c_str(), &m), Status::kOk) << model;
  yono::Session s(pack, arena.data(), arena.size());
  EXPECT_EQ(s.select(m), Status::kOk);
  yono::TensorView in = s.input(0);
  const auto values = yono::test::seeded_values(in.element_count, 91);
  std::copy(values.begin(), values.end(), in.data);
  EXPECT_EQ(s.invoke(), Status::kOk);
  yono::TensorView out = s.output(0);
  return {out.data, out.data + out.element_count};
}

yono::AlignedBuffer big_arena() {
  return yono::AlignedBuffer(std::vector<uint8_t>(1 << 16, 0xCD));
}

struct Fixture {
  std::vector<yono::ir::Codebook> codebooks;
  std::vector<uint8_t> base;
  yono::ir::Graph added;  // encoded against `codebooks`
};

// A base of three PQ / int8 models on two codebooks (f16 and i8), and a
// fourth model encoded against the same codebooks.
Fixture make_fixture() {
  Fixture f;
  f.codebooks = {yono::test::random_codebook("shared/kxk", 64, 3, CodebookDType::kF16, 5),
                 yono::test::random_codebook("shared/pointwise", 32, 4, CodebookDType::kI8, 6)};
  std::vector<yono::ir::Graph> models;
  auto a = yono::test::layer_model("a", LayerKind::kConv2d, 1);
  yono::test::pq_encode(yono::test::weight_of(a), f.codebooks[0], 0, 11);
  auto b = yono::test::layer_model("b", LayerKind::kDense, 2);
  yono::test::pq_encode(yono::test::weight_of(b), f.codebooks[1], 1, 12);
  auto c = yono::test::layer_model("c", LayerKind::kConv1d, 3);
  yono::test::i8_encode(yono::test::weight_of(c), 13);
  f.base = yono::write_pack({a, b, c}, f.codebooks);
  f.added = yono::test::layer_model("new", LayerKind::kDepthwise, 4);
  yono::test::pq_encode(yono::test::weight_of(f.added), f.codebooks[1], 1, 14);
  return f;
}

std::vector<yono::SectionEntry> table_of(const std::vector<uint8_t>& bytes) {
  yono::PackHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  const size_t at = yono::section_table_offset(h);
  std::vector<yono::SectionEntry> t(h.section_count);
  std::memcpy(t.data(), bytes.data() + at, t.size() * sizeof(yono::SectionEntry));
  return t;
}

// Rewrites the header CRC after a patch, so the rule under test decides.
void fix_header_crc(std::vector<uint8_t>& bytes) {
  yono::PackHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  const size_t at = yono::section_table_offset(h);
  h.header_crc = 0;
  uint32_t crc = yono::crc32(reinterpret_cast<const uint8_t*>(&h), sizeof(h));
  crc = yono::crc32(bytes.data() + at, h.section_count * sizeof(yono::SectionEntry), crc);
  h.header_crc = crc;
  std::memcpy(bytes.data(), &h, sizeof(h));
}

void fix_section_crcs(std::vector<uint8_t>& bytes) {
  yono::PackHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  const size_t at = yono::section_table_offset(h);
  auto table = table_of(bytes);
  for (auto& e : table) e.crc32 = yono::crc32(bytes.data() + e.offset, e.size);
  std::memcpy(bytes.data() + at, table.data(), table.size() * sizeof(yono::SectionEntry));
  fix_header_crc(bytes);
}

TEST(PackGrowth, KeepsEveryBaseByteButTheHeader) {
  const Fixture f = make_fixture();
  const Opened base(f.base);
  ASSERT_EQ(base.status, Status::kOk);
  const auto grown = yono::grow_pack(base.pack, {f.added}, f.codebooks);
  const Opened g(grown);
  ASSERT_EQ(g.status, Status::kOk);
  EXPECT_EQ(g.pack.version(), yono::kPackVersionGrown);
  EXPECT_EQ(g.pack.model_count(), 4u);
  EXPECT_EQ(g.pack.segment_count(), 2u);

  const yono::PackDelta d = yono::pack_delta(f.base, grown);
  EXPECT_GT(d.changed, 0u);
  EXPECT_LT(d.last_changed, sizeof(yono::PackHeader));  // only the header changed
  EXPECT_EQ(d.removed, 0u);
  for (const auto& e : table_of(f.base))
    EXPECT_EQ(std::memcmp(f.base.data() + e.offset, grown.data() + e.offset, e.size), 0)
        << "section type " << e.type;

  // The delta is the new model's own bytes plus the new Models section,
  // section table and padding: a few hundred bytes.
  uint32_t m = 0;
  ASSERT_EQ(g.pack.find_model("new", &m), Status::kOk);
  EXPECT_EQ(g.pack.models()[m].segment, 1u);
  const uint64_t own = yono::model_sizes(g.pack, m).bytes;
  EXPECT_LE(d.bytes(), own + 1024);
  EXPECT_GE(d.appended, own);
}

TEST(PackGrowth, EveryModelRunsAsBeforeAndSwitchingAcrossSegmentsRepeats) {
  const Fixture f = make_fixture();
  const Opened base(f.base);
  const Opened g(yono::grow_pack(base.pack, {f.added}, f.codebooks));
  ASSERT_EQ(g.status, Status::kOk);
  const Opened alone(yono::write_pack({f.added}, f.codebooks));
  ASSERT_EQ(alone.status, Status::kOk);
  auto arena = big_arena();
  std::vector<std::vector<float>> expected;
  for (const char* name : {"a", "b", "c"}) expected.push_back(run(base.pack, name, arena));
  expected.push_back(run(alone.pack, "new", arena));
  // One arena, switching between segment 0 and segment 1 models, twice.
  for (int round = 0; round < 2; ++round) {
    int i = 0;
    for (const char* name : {"new", "a", "new", "b", "c"}) {
      const size_t k = std::string(name) == "new" ? 3 : static_cast<size_t>(name[0] - 'a');
      EXPECT_EQ(run(g.pack, name, arena), expected[k]) << name << " round " << round << " #" << i;
      ++i;
    }
  }
}

TEST(PackGrowth, GrowsTwiceAndExtractsAModelOfALaterSegment) {
  const Fixture f = make_fixture();
  const Opened base(f.base);
  const Opened once(yono::grow_pack(base.pack, {f.added}, f.codebooks));
  auto more = yono::test::layer_model("more", LayerKind::kConv2d, 8);
  yono::test::pq_encode(yono::test::weight_of(more), f.codebooks[0], 0, 18);
  const auto twice_bytes = yono::grow_pack(once.pack, {more}, f.codebooks);
  const Opened twice(twice_bytes);
  ASSERT_EQ(twice.status, Status::kOk);
  EXPECT_EQ(twice.pack.segment_count(), 3u);
  const yono::PackDelta d = yono::pack_delta(
      std::vector<uint8_t>(once.pack.data(), once.pack.data() + once.pack.size()), twice_bytes);
  EXPECT_LT(d.last_changed, sizeof(yono::PackHeader));
  auto arena = big_arena();
  const Opened alone(yono::write_pack({more}, f.codebooks));
  EXPECT_EQ(run(twice.pack, "more", arena), run(alone.pack, "more", arena));
  // The device-load baseline of a segment-2 model: its payloads and the
  // codebook values of segment 0, in a pack of its own.
  uint32_t m = 0;
  ASSERT_EQ(twice.pack.find_model("more", &m), Status::kOk);
  const Opened single(yono::single_model_pack(twice.pack, m));
  ASSERT_EQ(single.status, Status::kOk);
  EXPECT_EQ(run(single.pack, "more", arena), run(alone.pack, "more", arena));
}

TEST(PackGrowth, CodebooksReadBackAsWrittenForEveryDtype) {
  const std::vector<yono::ir::Codebook> cbs = {
      yono::test::random_codebook("f32", 16, 3, CodebookDType::kF32, 21),
      yono::test::random_codebook("f16", 16, 5, CodebookDType::kF16, 22),
      yono::test::random_codebook("i8", 16, 2, CodebookDType::kI8, 23)};
  auto g = yono::test::layer_model("m", LayerKind::kDense, 24);
  yono::test::pq_encode(yono::test::weight_of(g), cbs[2], 2, 25);
  const auto bytes = yono::write_pack({g}, cbs);
  const Opened p(bytes);
  ASSERT_EQ(p.status, Status::kOk);
  const auto back = yono::read_codebooks(p.pack);
  ASSERT_EQ(back.size(), cbs.size());
  for (size_t i = 0; i < cbs.size(); ++i) {
    EXPECT_EQ(back[i].name, cbs[i].name);
    EXPECT_EQ(back[i].dim, cbs[i].dim);
    EXPECT_EQ(back[i].dtype, cbs[i].dtype);
    EXPECT_EQ(back[i].centroids, cbs[i].centroids) << cbs[i].name;
  }
  EXPECT_EQ(yono::write_pack({g}, back), bytes);  // written again: the same bytes
}

TEST(PackGrowth, RefusesWhatItCannotAppend) {
  const Fixture f = make_fixture();
  const Opened base(f.base);
  auto same_name = f.added;
  same_name.name = "a";
  EXPECT_THROW(yono::grow_pack(base.pack, {same_name}, f.codebooks), yono::Error);
  auto other = f.codebooks;
  other[1].centroids[0] += 1.0f / 64;
  EXPECT_THROW(yono::grow_pack(base.pack, {f.added}, other), yono::Error);
  const Opened plain(yono::write_pack({yono::test::strip_encodings(f.added)}));
  EXPECT_THROW(yono::grow_pack(plain.pack, {f.added}, f.codebooks), yono::Error);
}

// Each rule the reader applies to grown packs, pinned by a patch that breaks
// only that rule (CRCs rewritten so the rule itself must refuse it).
TEST(PackGrowth, ReaderRulesForSegmentsAndTheMovedTable) {
  const Fixture f = make_fixture();
  const Opened base(f.base);
  const auto grown = yono::grow_pack(base.pack, {f.added}, f.codebooks);
  yono::PackHeader h;
  std::memcpy(&h, grown.data(), sizeof(h));

  {  // a v2 pack may not move its table
    auto bytes = f.base;
    yono::PackHeader b;
    std::memcpy(&b, bytes.data(), sizeof(b));
    b.table_offset = 32;
    std::memcpy(bytes.data(), &b, sizeof(b));
    fix_header_crc(bytes);
    EXPECT_EQ(Opened(bytes).status, Status::kUnsupportedVersion);
  }
  {  // a table offset that is not 16-aligned
    auto bytes = grown;
    yono::PackHeader b = h;
    b.table_offset = h.table_offset - 8;
    std::memmove(bytes.data() + b.table_offset, bytes.data() + h.table_offset,
                 h.section_count * sizeof(yono::SectionEntry));
    std::memcpy(bytes.data(), &b, sizeof(b));
    fix_header_crc(bytes);
    EXPECT_EQ(Opened(bytes).status, Status::kBadSection);
  }
  {  // a model naming a segment the pack lacks
    auto bytes = grown;
    for (const auto& e : table_of(bytes)) {
      if (e.type != static_cast<uint32_t>(yono::SectionType::kModels)) continue;
      yono::ModelRecord m;
      const size_t at = e.offset + 3 * sizeof(m);
      std::memcpy(&m, bytes.data() + at, sizeof(m));
      m.segment = 2;
      std::memcpy(bytes.data() + at, &m, sizeof(m));
    }
    fix_section_crcs(bytes);
    EXPECT_EQ(Opened(bytes).status, Status::kBadModel);
  }
  {  // a segment without its Ops section (the table entry turned unknown)
    auto bytes = grown;
    auto table = table_of(bytes);
    for (auto it = table.rbegin(); it != table.rend(); ++it)
      if (it->type == static_cast<uint32_t>(yono::SectionType::kOps)) {
        it->type = 99;  // an extension section the reader skips
        break;
      }
    std::memcpy(bytes.data() + h.table_offset, table.data(),
                table.size() * sizeof(yono::SectionEntry));
    fix_header_crc(bytes);
    EXPECT_EQ(Opened(bytes).status, Status::kBadSection);
  }
  {  // the table moved over a section (the new segment's Weights)
    auto bytes = grown;
    uint32_t weights_at = 0;
    for (const auto& e : table_of(bytes))
      if (e.type == static_cast<uint32_t>(yono::SectionType::kWeights)) weights_at = e.offset;
    std::memmove(bytes.data() + weights_at, bytes.data() + h.table_offset,
                 h.section_count * sizeof(yono::SectionEntry));
    yono::PackHeader b = h;
    b.table_offset = weights_at;
    std::memcpy(bytes.data(), &b, sizeof(b));
    fix_section_crcs(bytes);
    EXPECT_EQ(Opened(bytes).status, Status::kBadSection);
  }
}

}  // namespace
