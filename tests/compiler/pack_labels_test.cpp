// Class names in a pack (the Labels section): written only when a model has
// them, read back per model, carried into a grown pack, and a damaged
// section is an error rather than a crash. The runtime ignores the section.
#include "yono/compiler/pack/pack_labels.h"

#include <gtest/gtest.h>

#include <cstring>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/crc32.h"
#include "yono/format.h"
#include "yono/pack.h"

namespace {

using yono::Status;
using yono::test::LayerKind;

using Opened = yono::test::OpenedPack;

bool has_labels_section(const std::vector<uint8_t>& bytes) {
  yono::PackHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  for (uint32_t i = 0; i < h.section_count; ++i) {
    yono::SectionEntry e;
    std::memcpy(&e, bytes.data() + sizeof(h) + i * sizeof(e), sizeof(e));
    if (e.type == static_cast<uint32_t>(yono::SectionType::kLabels)) return true;
  }
  return false;
}

TEST(PackLabels, WrittenOnlyWithClassNamesAndReadBackPerModel) {
  auto a = yono::test::layer_model("a", LayerKind::kDense, 1);
  auto b = yono::test::layer_model("b", LayerKind::kConv1d, 2);
  EXPECT_FALSE(has_labels_section(yono::write_pack({a, b})));
  a.class_names = {"cat", "dog", "T-shirt/top", "x", "y", "z"};
  const auto bytes = yono::write_pack({a, b});
  EXPECT_TRUE(has_labels_section(bytes));
  const Opened p(bytes);
  ASSERT_EQ(p.status, Status::kOk);  // the runtime skips the section
  const yono::PackLabels labels = yono::read_labels(p.pack);
  ASSERT_EQ(labels.size(), 1u);
  EXPECT_EQ(labels.at("a"), a.class_names);
  auto empty_name = a;
  empty_name.class_names[1] = "";
  EXPECT_THROW(yono::write_pack({empty_name}), yono::Error);
}

TEST(PackLabels, GrownPackCarriesBothModelsLabels) {
  const auto cb =
      yono::test::random_codebook("shared/pointwise", 16, 4, yono::ir::CodebookDType::kF16, 3);
  auto a = yono::test::layer_model("a", LayerKind::kDense, 1);
  yono::test::pq_encode(yono::test::weight_of(a), cb, 0, 4);
  a.class_names = {"0", "1", "2", "3", "4", "5"};
  const Opened base(yono::write_pack({a}, {cb}));
  auto n = yono::test::layer_model("n", LayerKind::kDense, 5);
  yono::test::pq_encode(yono::test::weight_of(n), cb, 0, 6);
  n.class_names = {"walk", "run", "sit", "lie", "climb", "fall"};
  const Opened grown(yono::grow_pack(base.pack, {n}, yono::read_codebooks(base.pack)));
  ASSERT_EQ(grown.status, Status::kOk);
  const yono::PackLabels labels = yono::read_labels(grown.pack);
  EXPECT_EQ(labels.at("a"), a.class_names);
  EXPECT_EQ(labels.at("n"), n.class_names);
}

TEST(PackLabels, DamagedSectionIsAnError) {
  auto a = yono::test::layer_model("a", LayerKind::kDense, 1);
  a.class_names = {"p", "q", "r", "s", "t", "u"};
  auto bytes = yono::write_pack({a});
  yono::PackHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  for (uint32_t i = 0; i < h.section_count; ++i) {
    yono::SectionEntry e;
    const size_t at = sizeof(h) + i * sizeof(e);
    std::memcpy(&e, bytes.data() + at, sizeof(e));
    if (e.type != static_cast<uint32_t>(yono::SectionType::kLabels)) continue;
    bytes[e.offset + e.size - 1] = 'x';  // the last string loses its NUL
    e.crc32 = yono::crc32(bytes.data() + e.offset, e.size);
    std::memcpy(bytes.data() + at, &e, sizeof(e));
  }
  h.header_crc = 0;
  uint32_t crc = yono::crc32(reinterpret_cast<const uint8_t*>(&h), sizeof(h));
  h.header_crc = yono::crc32(bytes.data() + sizeof(h), h.section_count * 16, crc);
  std::memcpy(bytes.data(), &h, sizeof(h));
  const Opened p(bytes);
  ASSERT_EQ(p.status, Status::kOk);
  EXPECT_THROW(yono::read_labels(p.pack), yono::Error);
}

}  // namespace
