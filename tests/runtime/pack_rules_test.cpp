// Every validation rule of docs/pack-format.md ("Validation rules applied by
// the reader"), each on a valid pack broken in that one rule, CRCs
// recomputed so the rule itself must refuse it. Each expectation names the
// exact status and the record Pack::open blames (PackFault): with the rule
// deleted the pack opens, or fails later with another status or record,
// which `./run mutate` checks rule by rule (docs/TESTING.md).
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "pack_bytes.h"
#include "pack_test_graphs.h"
#include "sample_packs.h"
#include "yono/bitpack.h"
#include "yono/format.h"
#include "yono/pack.h"

namespace {

using yono::CodeBlockRecord;
using yono::CodebookRecord;
using yono::ModelRecord;
using yono::OpRecord;
using yono::OpType;
using yono::PackFault;
using yono::PackHeader;
using yono::PackPart;
using yono::SectionEntry;
using yono::SectionType;
using yono::Status;
using yono::TensorRecord;
using yono::test::i8_pack;
using yono::test::LayerKind;
using yono::test::OpenResult;
using yono::test::PackBytes;
using yono::test::v1_pack;
using yono::test::v2_pack;
using yono::test::v3_pack;

// Where a refusal is blamed (PackFault's fields: part, segment, model, index).
PackFault header() {
  return {PackPart::kHeader, 0, 0, 0};
}
PackFault entry(uint32_t i) {
  return {PackPart::kSectionTable, 0, 0, i};
}
PackFault table() {
  return {PackPart::kSectionTable, 0, 0, UINT32_MAX};
}
PackFault codebook(uint32_t i) {
  return {PackPart::kCodebook, 0, 0, i};
}
PackFault block(uint32_t i, uint32_t segment = 0) {
  return {PackPart::kCodeBlock, segment, 0, i};
}
PackFault model(uint32_t m) {
  return {PackPart::kModel, 0, m, m};
}
PackFault tensor(uint32_t m, uint32_t i) {
  return {PackPart::kTensor, 0, m, i};
}
PackFault op(uint32_t m, uint32_t j) {
  return {PackPart::kOp, 0, m, j};
}
PackFault dataflow(uint32_t m) {
  return {PackPart::kDataflow, 0, m, 0};
}

#define EXPECT_REFUSED(result, status, fault) \
  EXPECT_TRUE(yono::test::refused_as(result, status, fault))

// A copy of `pack` edited by `f`, CRCs recomputed, opened.
template <class F>
OpenResult broken(const std::vector<uint8_t>& pack, F&& f) {
  PackBytes p(pack);
  f(p);
  return p.fixed_open();
}

template <class F>
OpenResult header_broken(const std::vector<uint8_t>& pack, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<PackHeader>(0, f); });
}

template <class F>
OpenResult entry_broken(const std::vector<uint8_t>& pack, uint32_t i, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<SectionEntry>(p.entry_at(i), f); });
}

template <class F>
OpenResult model_broken(const std::vector<uint8_t>& pack, uint32_t m, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<ModelRecord>(p.model_at(m), f); });
}

template <class F>
OpenResult tensor_broken(const std::vector<uint8_t>& pack, uint32_t m, uint32_t i, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<TensorRecord>(p.tensor_at(m, i), f); });
}

template <class F>
OpenResult op_broken(const std::vector<uint8_t>& pack, uint32_t m, uint32_t j, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<OpRecord>(p.op_at(m, j), f); });
}

template <class P, class F>
OpenResult params_broken(const std::vector<uint8_t>& pack, uint32_t m, uint32_t j, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<P>(p.params_at(m, j), f); });
}

template <class F>
OpenResult codebook_broken(const std::vector<uint8_t>& pack, uint32_t i, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<CodebookRecord>(p.codebook_at(i), f); });
}

template <class F>
OpenResult block_broken(const std::vector<uint8_t>& pack, uint32_t i, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<CodeBlockRecord>(p.code_block_at(i), f); });
}

uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

TEST(PackRules, SamplesOpen) {
  for (const auto* pack : {&v1_pack(), &v2_pack(), &v3_pack(), &i8_pack()}) {
    const OpenResult r = PackBytes(*pack).open();
    EXPECT_EQ(r.status, Status::kOk);
    EXPECT_EQ(r.fault, PackFault{});
  }
  EXPECT_EQ(PackBytes(v1_pack()).header().version, yono::kPackVersionFloat);
  EXPECT_EQ(PackBytes(v2_pack()).header().version, yono::kPackVersion);
  EXPECT_EQ(PackBytes(v3_pack()).header().version, yono::kPackVersionGrown);
  // Recomputing the CRCs of an unedited pack changes nothing.
  PackBytes same(v3_pack());
  same.fix_crcs();
  EXPECT_EQ(same.bytes(), v3_pack());
}

// ---- 1. data non-null and 4-aligned ----

TEST(PackRules, R1_NullAndMisalignedData) {
  const std::vector<uint8_t>& b = v1_pack();
  yono::Pack pack;
  PackFault fault;
  EXPECT_EQ(yono::Pack::open(nullptr, b.size(), &pack, &fault), Status::kInvalidArgument);
  EXPECT_EQ(fault, PackFault{});
  const yono::AlignedBuffer aligned(b);
  EXPECT_EQ(yono::Pack::open(aligned.data(), b.size(), nullptr, &fault), Status::kInvalidArgument);
  std::vector<uint8_t> shifted(b.size() + 16);
  uint8_t* base = shifted.data() + (16 - reinterpret_cast<uintptr_t>(shifted.data()) % 16) % 16;
  for (size_t skew : {1u, 2u, 3u}) {
    std::memcpy(base + skew, b.data(), b.size() - skew);
    EXPECT_EQ(yono::Pack::open(base + skew, b.size() - skew, &pack, &fault), Status::kBadAlignment);
  }
}

// ---- 2. header ----

TEST(PackRules, R2_SizeAtLeastHeaderAndFileSize) {
  const std::vector<uint8_t>& b = v1_pack();
  EXPECT_REFUSED(yono::test::open_exact(b, sizeof(PackHeader) - 1), Status::kTruncated, header());
  EXPECT_REFUSED(yono::test::open_exact(b, b.size() - 1), Status::kTruncated, header());
}

TEST(PackRules, R2_MagicVersionFlags) {
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.magic ^= 0x20; }),
                 Status::kBadMagic, header());
  for (uint32_t v : {0u, 4u, 0x100u}) {
    EXPECT_REFUSED(header_broken(v1_pack(), [&](PackHeader& h) { h.version = v; }),
                   Status::kUnsupportedVersion, header());
  }
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.flags = 1; }),
                 Status::kUnsupportedVersion, header());
}

TEST(PackRules, R2_SectionCount) {
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.section_count = 0; }),
                 Status::kBadSection, header());
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.section_count = 65; }),
                 Status::kBadSection, header());
}

TEST(PackRules, R2_TableOffset) {
  // Only v3 moves its table.
  EXPECT_REFUSED(header_broken(v2_pack(), [](PackHeader& h) { h.table_offset = 32; }),
                 Status::kUnsupportedVersion, header());
  // v3: at least past the header, and 16-aligned (the table moved there).
  for (uint32_t at : {0u, 16u}) {
    EXPECT_REFUSED(header_broken(v3_pack(), [&](PackHeader& h) { h.table_offset = at; }),
                   Status::kBadSection, header());
  }
  EXPECT_REFUSED(broken(v3_pack(),
                        [](PackBytes& p) {
                          const PackHeader h = p.header();
                          const uint32_t at = h.table_offset - 8;
                          std::memmove(p.bytes().data() + at, p.bytes().data() + h.table_offset,
                                       h.section_count * sizeof(SectionEntry));
                          p.edit<PackHeader>(0, [&](PackHeader& e) { e.table_offset = at; });
                        }),
                 Status::kBadSection, header());
}

TEST(PackRules, R2_TableInsideFile) {
  // file_size ends inside the table (the bytes are all there).
  EXPECT_REFUSED(header_broken(v1_pack(),
                               [](PackHeader& h) {
                                 h.file_size = sizeof(PackHeader) +
                                               h.section_count * sizeof(SectionEntry) - 4;
                               }),
                 Status::kTruncated, header());
  // v3: the table moved to the file's last bytes and beyond.
  EXPECT_REFUSED(
      header_broken(v3_pack(),
                    [](PackHeader& h) { h.table_offset = (h.file_size - 16) / 16 * 16; }),
      Status::kTruncated, header());
}

TEST(PackRules, R2_HeaderChecksumAndReserved) {
  PackBytes p(v1_pack());
  p.edit<PackHeader>(0, [](PackHeader& h) { h.header_crc ^= 1; });
  EXPECT_REFUSED(p.open(), Status::kBadChecksum, header());
  // The CRC covers the table too.
  PackBytes t(v1_pack());
  t.edit<SectionEntry>(t.entry_at(1), [](SectionEntry& e) { e.crc32 ^= 1; });
  EXPECT_REFUSED(t.open(), Status::kBadChecksum, header());
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.reserved = 1; }),
                 Status::kUnsupportedVersion, header());
}

// ---- 3. section table ----

uint32_t index_of(const std::vector<uint8_t>& pack, SectionType type, uint32_t k = 0) {
  return PackBytes(pack).entry_index(type, k);
}

TEST(PackRules, R3_EntryTypeAndAlignment) {
  const uint32_t params = index_of(v1_pack(), SectionType::kParams);
  EXPECT_REFUSED(entry_broken(v1_pack(), params, [](SectionEntry& e) { e.type = 0; }),
                 Status::kBadSection, entry(params));
  EXPECT_REFUSED(entry_broken(v1_pack(), params, [](SectionEntry& e) { e.offset += 4; }),
                 Status::kBadAlignment, entry(params));
}

TEST(PackRules, R3_EntryInsideFileAndOutsideHeaderAndTable) {
  const uint32_t params = index_of(v1_pack(), SectionType::kParams);
  // Inside the header (and nothing else).
  EXPECT_REFUSED(entry_broken(v1_pack(), params,
                              [](SectionEntry& e) {
                                e.offset = 0;
                                e.size = 16;
                              }),
                 Status::kBadSection, entry(params));
  // Over the table (v1: right after the header).
  EXPECT_REFUSED(entry_broken(v1_pack(), params,
                              [](SectionEntry& e) {
                                e.offset = sizeof(PackHeader);
                                e.size = 16;
                              }),
                 Status::kBadSection, entry(params));
  // Past the end of the file.
  const PackBytes p(v1_pack());
  uint32_t last = 0;
  for (uint32_t i = 0; i < p.header().section_count; ++i)
    if (p.entry(i).offset > p.entry(last).offset) last = i;
  EXPECT_REFUSED(entry_broken(v1_pack(), last, [](SectionEntry& e) { e.size += 16; }),
                 Status::kBadSection, entry(last));
}

TEST(PackRules, R3_NoRepeatedTypeAndNoOverlap) {
  const PackBytes p(v1_pack());
  const uint32_t params = index_of(v1_pack(), SectionType::kParams);
  const uint32_t ops = index_of(v1_pack(), SectionType::kOps);
  const uint32_t later = std::max(params, ops), earlier = std::min(params, ops);
  // The later of the two claims the other's type (its bytes unchanged).
  const uint32_t earlier_type = p.entry(earlier).type;
  EXPECT_REFUSED(entry_broken(v1_pack(), later, [&](SectionEntry& e) { e.type = earlier_type; }),
                 Status::kBadSection, entry(later));
  // The later one moved onto the earlier one's bytes.
  const SectionEntry first = p.entry(earlier);
  EXPECT_REFUSED(entry_broken(v1_pack(), later,
                              [&](SectionEntry& e) {
                                e.offset = first.offset;
                                e.size = 4;
                              }),
                 Status::kBadSection, entry(later));
  // v3: a pack-level type twice (the later of Models and Codebooks retyped
  // as the other; per-segment types may repeat).
  const PackBytes g(v3_pack());
  const uint32_t models = g.entry_index(SectionType::kModels);
  const uint32_t codebooks = g.entry_index(SectionType::kCodebooks);
  const uint32_t second = std::max(models, codebooks);
  const uint32_t first_type = g.entry(std::min(models, codebooks)).type;
  EXPECT_REFUSED(entry_broken(v3_pack(), second, [&](SectionEntry& e) { e.type = first_type; }),
                 Status::kBadSection, entry(second));
}

TEST(PackRules, R3_SectionChecksum) {
  PackBytes p(v1_pack());
  const uint32_t weights = p.entry_index(SectionType::kWeights);
  p.bytes()[p.weights_at()] ^= 1;
  EXPECT_REFUSED(p.open(), Status::kBadChecksum, entry(weights));
}

TEST(PackRules, R3_EveryRequiredTypePresent) {
  // Each of types 1-7 turned into an extension section the reader skips.
  for (uint32_t type = 1; type <= 7; ++type) {
    const uint32_t i = index_of(v1_pack(), static_cast<SectionType>(type));
    EXPECT_REFUSED(entry_broken(v1_pack(), i, [](SectionEntry& e) { e.type = 99; }),
                   Status::kBadSection, table())
        << type;
  }
}

TEST(PackRules, R3_NoV2SectionsInV1) {
  // A v1 pack claiming its Params are CodeBlocks.
  const uint32_t params = index_of(v1_pack(), SectionType::kParams);
  EXPECT_REFUSED(entry_broken(v1_pack(), params,
                              [](SectionEntry& e) {
                                e.type = static_cast<uint32_t>(SectionType::kCodeBlocks);
                              }),
                 Status::kBadSection, entry(params));
}

TEST(PackRules, R3_V3EveryPerSegmentTypeOncePerSegment) {
  // Segment 1 without its Ops, then without its CodeBlocks.
  for (SectionType type : {SectionType::kOps, SectionType::kCodeBlocks}) {
    const uint32_t i = index_of(v3_pack(), type, 1);
    EXPECT_REFUSED(entry_broken(v3_pack(), i, [](SectionEntry& e) { e.type = 99; }),
                   Status::kBadSection, table());
  }
  // At most 8 segments: 9 sections of one per-segment type (the v3 pack has
  // 2 segments of 7 such sections; 7 more retyped as Strings).
  PackBytes p(v3_pack());
  uint32_t strings = 0, ninth = 0;
  for (uint32_t i = 0; i < p.header().section_count && strings < 9; ++i) {
    const uint32_t type = p.entry(i).type;
    if (type == static_cast<uint32_t>(SectionType::kModels) ||
        type == static_cast<uint32_t>(SectionType::kCodebooks)) {
      continue;
    }
    p.edit<SectionEntry>(p.entry_at(i), [](SectionEntry& e) {
      e.type = static_cast<uint32_t>(SectionType::kStrings);
    });
    ninth = i;
    ++strings;
  }
  ASSERT_EQ(strings, 9u);
  EXPECT_REFUSED(p.fixed_open(), Status::kBadSection, entry(ninth));
}

TEST(PackRules, R3_ModelsSectionHoldsModelCountRecords) {
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.model_count = 0; }),
                 Status::kBadSection, table());
  EXPECT_REFUSED(header_broken(v1_pack(), [](PackHeader& h) { h.model_count = 1; }),
                 Status::kBadSection, table());
  // No models at all, the Models section empty to match.
  EXPECT_REFUSED(broken(v1_pack(),
                        [](PackBytes& p) {
                          p.edit<PackHeader>(0, [](PackHeader& h) { h.model_count = 0; });
                          p.edit<SectionEntry>(p.entry_at(p.entry_index(SectionType::kModels)),
                                               [](SectionEntry& e) { e.size = 0; });
                        }),
                 Status::kBadSection, table());
}

TEST(PackRules, R3_RecordSectionsHoldWholeRecords) {
  struct Case {
    SectionType type;
    uint32_t cut;
  };
  for (const Case c : {Case{SectionType::kTensors, 16}, Case{SectionType::kOps, 16},
                       Case{SectionType::kOpIo, 2}, Case{SectionType::kParams, 2},
                       Case{SectionType::kCodeBlocks, 16}, Case{SectionType::kCodebooks, 16}}) {
    const uint32_t i = index_of(v2_pack(), c.type);
    EXPECT_REFUSED(entry_broken(v2_pack(), i, [&](SectionEntry& e) { e.size -= c.cut; }),
                   Status::kBadSection, table())
        << static_cast<int>(c.type);
  }
}

TEST(PackRules, R3_StringsEndInNul) {
  const uint32_t strings = index_of(v1_pack(), SectionType::kStrings);
  EXPECT_REFUSED(entry_broken(v1_pack(), strings, [](SectionEntry& e) { e.size = 0; }),
                 Status::kBadSection, table());
  EXPECT_REFUSED(broken(v1_pack(),
                        [&](PackBytes& p) {
                          const SectionEntry e = p.entry(strings);
                          p.bytes()[e.offset + e.size - 1] = 'x';
                        }),
                 Status::kBadSection, table());
}

// ---- 4. codebooks (v2) ----

TEST(PackRules, R4_CodebookNameAndReserved) {
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1, [](CodebookRecord& c) { c.name = 0xFFFFFF; }),
                 Status::kBadTensor, codebook(1));
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1, [](CodebookRecord& c) { c.reserved = 1; }),
                 Status::kBadTensor, codebook(1));
}

TEST(PackRules, R4_CodebookDtype) {
  // An unknown dtype whose sizes would otherwise agree (0 bytes of values).
  for (uint32_t dtype : {0u, 4u}) {
    EXPECT_REFUSED(codebook_broken(v2_pack(), 1,
                                   [&](CodebookRecord& c) {
                                     c.dtype = dtype;
                                     c.data_size = 0;
                                   }),
                   Status::kBadTensor, codebook(1));
  }
}

TEST(PackRules, R4_CodebookShape) {
  // K = 1 and D = 0, 257 with consistent data sizes (values from offset 0).
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1,
                                 [](CodebookRecord& c) {
                                   c.codeword_count = 1;
                                   c.data_size = c.dim * 2;
                                 }),
                 Status::kBadTensor, codebook(1));
  EXPECT_REFUSED(codebook_broken(v2_pack(), 0,
                                 [](CodebookRecord& c) {
                                   c.dim = 0;
                                   c.data_size = 0;
                                 }),
                 Status::kBadTensor, codebook(0));
  EXPECT_REFUSED(codebook_broken(v2_pack(), 0,
                                 [](CodebookRecord& c) {
                                   c.codeword_count = 2;
                                   c.dim = 257;
                                   c.data_offset = 0;
                                   c.data_size = 2 * 257;
                                 }),
                 Status::kBadTensor, codebook(0));
  // K = 65537: a D = 1 i8 codebook whose 65537 values are appended to the
  // Weights (4-aligned).
  EXPECT_REFUSED(broken(v2_pack(),
                        [](PackBytes& p) {
                          const uint32_t size = p.entry(p.entry_index(SectionType::kWeights)).size;
                          const uint32_t pad = (4 - size % 4) % 4;
                          p.append_to_section(SectionType::kWeights,
                                              std::vector<uint8_t>(pad + 65537, 1));
                          p.edit<CodebookRecord>(p.codebook_at(0), [&](CodebookRecord& c) {
                            c.codeword_count = 65537;
                            c.dim = 1;
                            c.data_offset = size + pad;
                            c.data_size = 65537;
                          });
                        }),
                 Status::kBadTensor, codebook(0));
}

TEST(PackRules, R4_CodebookValuesInsideWeights) {
  const PackBytes p(v2_pack());
  const uint32_t weights = p.entry(p.entry_index(SectionType::kWeights)).size;
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1, [](CodebookRecord& c) { c.data_offset += 2; }),
                 Status::kBadTensor, codebook(1));
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1, [](CodebookRecord& c) { c.data_size += 2; }),
                 Status::kBadTensor, codebook(1));
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1,
                                 [&](CodebookRecord& c) {
                                   c.data_offset = (weights - c.data_size / 2) / 4 * 4;
                                 }),
                 Status::kBadTensor, codebook(1));
}

TEST(PackRules, R4_CodebookValueScale) {
  // i8 (codebook 0): 0 < scale <= FLT_MAX.
  for (float bad : {0.0f, -1.0f, std::numeric_limits<float>::infinity(),
                    std::numeric_limits<float>::quiet_NaN()}) {
    EXPECT_REFUSED(codebook_broken(v2_pack(), 0, [&](CodebookRecord& c) { c.value_scale = bad; }),
                   Status::kBadTensor, codebook(0))
        << bad;
  }
  EXPECT_EQ(
      codebook_broken(v2_pack(), 0, [](CodebookRecord& c) { c.value_scale = FLT_MAX; }).status,
      Status::kOk);
  // f16 (codebook 1): exactly 0 bits (not even -0.0).
  EXPECT_REFUSED(codebook_broken(v2_pack(), 1, [](CodebookRecord& c) { c.value_scale = -0.0f; }),
                 Status::kBadTensor, codebook(1));
  EXPECT_NE(float_bits(-0.0f), 0u);
}

// ---- 5. code blocks (v2) ----

TEST(PackRules, R5_BlockRowsAndRowLength) {
  // Zero rows (or row length) with every size consistent with zero: the
  // tensor using the block would be refused too, but later.
  EXPECT_REFUSED(block_broken(v2_pack(), 2,
                              [](CodeBlockRecord& b) {
                                b.rows = 0;
                                b.data_size = 0;
                              }),
                 Status::kBadTensor, block(2));
  EXPECT_REFUSED(block_broken(v2_pack(), 2,
                              [](CodeBlockRecord& b) {
                                b.row_length = 0;
                                b.data_size = 0;
                              }),
                 Status::kBadTensor, block(2));
  EXPECT_REFUSED(block_broken(v2_pack(), 0,
                              [](CodeBlockRecord& b) {
                                b.row_length = 0;
                                b.subvectors_per_row = 0;
                                b.data_size = 0;
                              }),
                 Status::kBadTensor, block(0));
}

TEST(PackRules, R5_BlockScales) {
  EXPECT_REFUSED(block_broken(v2_pack(), 2, [](CodeBlockRecord& b) { b.scale_dtype = 2; }),
                 Status::kBadTensor, block(2));
  EXPECT_REFUSED(block_broken(v2_pack(), 2, [](CodeBlockRecord& b) { b.scales_offset += 2; }),
                 Status::kBadTensor, block(2));
  const PackBytes p(v2_pack());
  const uint32_t weights = p.entry(p.entry_index(SectionType::kWeights)).size;
  EXPECT_REFUSED(
      block_broken(v2_pack(), 2,
                   [&](CodeBlockRecord& b) { b.scales_offset = (weights - b.rows * 2) / 4 * 4; }),
      Status::kBadTensor, block(2));
}

TEST(PackRules, R5_BlockDataInsideWeights) {
  const PackBytes p(v2_pack());
  const uint32_t weights = p.entry(p.entry_index(SectionType::kWeights)).size;
  EXPECT_REFUSED(
      block_broken(v2_pack(), 2,
                   [&](CodeBlockRecord& b) { b.data_offset = weights - b.data_size + 1; }),
      Status::kBadTensor, block(2));
}

TEST(PackRules, R5_Int8Block) {
  EXPECT_REFUSED(block_broken(v2_pack(), 2, [](CodeBlockRecord& b) { b.subvectors_per_row = 1; }),
                 Status::kBadTensor, block(2));
  EXPECT_REFUSED(block_broken(v2_pack(), 2, [](CodeBlockRecord& b) { b.code_bits = 4; }),
                 Status::kBadTensor, block(2));
  EXPECT_REFUSED(block_broken(v2_pack(), 2, [](CodeBlockRecord& b) { b.data_size -= 1; }),
                 Status::kBadTensor, block(2));
}

TEST(PackRules, R5_PqBlock) {
  EXPECT_REFUSED(block_broken(v2_pack(), 0, [](CodeBlockRecord& b) { b.codebook = 2; }),
                 Status::kBadTensor, block(0));
  EXPECT_REFUSED(block_broken(v2_pack(), 0, [](CodeBlockRecord& b) { b.subvectors_per_row += 1; }),
                 Status::kBadTensor, block(0));
  EXPECT_REFUSED(block_broken(v2_pack(), 0, [](CodeBlockRecord& b) { b.code_bits = 6; }),
                 Status::kBadTensor, block(0));
  EXPECT_REFUSED(block_broken(v2_pack(), 0, [](CodeBlockRecord& b) { b.data_size += 1; }),
                 Status::kBadTensor, block(0));
}

// More than 2^30 weights in one block: block 0 turned into one row of
// 2^30 + 256 weights on a K = 2, D = 256 codebook, 1-bit codes (512 KiB,
// appended to the Weights), every size consistent.
TEST(PackRules, R5_BlockAtMost2To30Weights) {
  EXPECT_REFUSED(broken(v2_pack(),
                        [](PackBytes& p) {
                          const uint32_t subvectors = (1u << 22) + 1;
                          const uint32_t bytes =
                              static_cast<uint32_t>(yono::bitpack_bytes(1, subvectors));
                          const uint32_t at = p.append_to_section(SectionType::kWeights,
                                                                  std::vector<uint8_t>(bytes, 0));
                          p.edit<CodebookRecord>(p.codebook_at(0), [](CodebookRecord& c) {
                            c.codeword_count = 2;
                            c.dim = 256;
                            c.data_offset = 0;
                            c.data_size = 2 * 256;
                          });
                          p.edit<CodeBlockRecord>(p.code_block_at(0), [&](CodeBlockRecord& b) {
                            b.rows = 1;
                            b.row_length = (1u << 30) + 256;
                            b.subvectors_per_row = subvectors;
                            b.code_bits = 1;
                            b.data_offset = at;
                            b.data_size = bytes;
                          });
                        }),
                 Status::kBadTensor, block(0));
}

// Block 1 (K = 16, a power of two, so codes are not range-checked) with one
// more subvector per row, or 5-bit codes: data size and codes (all 0) made
// to agree, so only the rule under test disagrees.
TEST(PackRules, R5_PqBlockShapeFollowsItsCodebook) {
  auto reshaped = [](uint32_t extra_subvectors, uint16_t bits) {
    return broken(v2_pack(), [&](PackBytes& p) {
      const CodeBlockRecord b = p.read<CodeBlockRecord>(p.code_block_at(1));
      const uint32_t codes = b.rows * (b.subvectors_per_row + extra_subvectors);
      const uint32_t bytes = static_cast<uint32_t>(yono::bitpack_bytes(bits, codes));
      const uint32_t at =
          p.append_to_section(SectionType::kWeights, std::vector<uint8_t>(bytes, 0));
      p.edit<CodeBlockRecord>(p.code_block_at(1), [&](CodeBlockRecord& r) {
        r.subvectors_per_row += extra_subvectors;
        r.code_bits = bits;
        r.data_offset = at;
        r.data_size = bytes;
      });
    });
  };
  EXPECT_EQ(reshaped(0, 4).status, Status::kOk);
  EXPECT_REFUSED(reshaped(1, 4), Status::kBadTensor, block(1));
  EXPECT_REFUSED(reshaped(0, 5), Status::kBadTensor, block(1));
}

// Block 0's codes are 5 bits against K = 20: a code of 20 (or 31) anywhere
// is out of range; with K = 16 (block 1) every 4-bit code is fine.
TEST(PackRules, R5_EveryCodeBelowK) {
  const PackBytes good(v2_pack());
  const CodeBlockRecord blk = good.read<CodeBlockRecord>(good.code_block_at(0));
  const uint32_t n = blk.rows * blk.subvectors_per_row;
  for (uint32_t index : {0u, n - 1}) {
    EXPECT_REFUSED(broken(v2_pack(),
                          [&](PackBytes& p) {
                            uint8_t* codes = p.bytes().data() + p.weights_at() + blk.data_offset;
                            for (uint32_t i = 0; i < 5; ++i) {
                              const uint32_t bit = index * 5 + i;
                              codes[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
                            }
                          }),
                   Status::kBadTensor, block(0));
  }
  const CodeBlockRecord blk1 = good.read<CodeBlockRecord>(good.code_block_at(1));
  EXPECT_EQ(broken(v2_pack(),
                   [&](PackBytes& p) {
                     std::memset(p.bytes().data() + p.weights_at() + blk1.data_offset, 0xFF,
                                 blk1.data_size);
                   })
                .status,
            Status::kOk);
}

// ---- 6. models ----

TEST(PackRules, R6_ModelSegment) {
  EXPECT_REFUSED(model_broken(v3_pack(), 4, [](ModelRecord& m) { m.segment = 2; }),
                 Status::kBadModel, model(4));
  EXPECT_REFUSED(model_broken(v2_pack(), 1, [](ModelRecord& m) { m.segment = 1; }),
                 Status::kBadModel, model(1));
}

TEST(PackRules, R6_ModelName) {
  const PackBytes p(v1_pack());
  const SectionEntry strings = p.entry(p.entry_index(SectionType::kStrings));
  EXPECT_REFUSED(model_broken(v1_pack(), 1, [&](ModelRecord& m) { m.name = strings.size; }),
                 Status::kBadModel, model(1));
  // The empty name: the section's final NUL.
  EXPECT_REFUSED(model_broken(v1_pack(), 1, [&](ModelRecord& m) { m.name = strings.size - 1; }),
                 Status::kBadModel, model(1));
  // Unique: model 1 named like model 0.
  const uint32_t first = p.model(0).name;
  EXPECT_REFUSED(model_broken(v1_pack(), 1, [&](ModelRecord& m) { m.name = first; }),
                 Status::kBadModel, model(1));
}

// A name of exactly 255 bytes is fine, 256 is not (in the Strings section
// the models' names are written over with a long one).
TEST(PackRules, R6_NameLength) {
  auto long_named = [](size_t length) {
    return yono::write_pack({yono::test::image_model(std::string(length, 'n'))});
  };
  EXPECT_EQ(PackBytes(long_named(255)).open().status, Status::kOk);
  PackBytes p(long_named(255));
  const uint32_t name = p.model(0).name;
  const SectionEntry strings = p.entry(p.entry_index(SectionType::kStrings));
  ASSERT_EQ(p.bytes()[strings.offset + name + 255], 0);
  // The byte after the 255 'n's becomes an 'n' too, when the next string
  // starts there (its own NUL ends the longer name).
  if (name + 256 < strings.size) {
    p.bytes()[strings.offset + name + 255] = 'n';
    EXPECT_REFUSED(p.fixed_open(), Status::kBadModel, model(0));
  }
}

TEST(PackRules, R6_ModelReserved) {
  for (uint32_t w = 0; w < 5; ++w) {
    EXPECT_REFUSED(model_broken(v1_pack(), 1, [&](ModelRecord& m) { m.reserved[w] = 1; }),
                   Status::kBadModel, model(1));
  }
}

TEST(PackRules, R6_Scratch) {
  // v1 has none.
  EXPECT_REFUSED(model_broken(v1_pack(), 0, [](ModelRecord& m) { m.scratch_size = 16; }),
                 Status::kBadModel, model(0));
  // v2: a multiple of 16, at most the arena, which is then a multiple of 16.
  const PackBytes p(v2_pack());
  ASSERT_GT(p.model(1).scratch_size, 0u);
  EXPECT_REFUSED(model_broken(v2_pack(), 1, [](ModelRecord& m) { m.scratch_size += 4; }),
                 Status::kBadModel, model(1));
  EXPECT_REFUSED(model_broken(v2_pack(), 1, [](ModelRecord& m) { m.arena_size += 4; }),
                 Status::kBadModel, model(1));
  EXPECT_REFUSED(
      model_broken(v2_pack(), 1, [](ModelRecord& m) { m.scratch_size = m.arena_size + 16; }),
      Status::kBadModel, model(1));
}

TEST(PackRules, R6_Ranges) {
  const PackBytes p(v1_pack());
  const ModelRecord m1 = p.model(1);
  const uint32_t tensors = p.entry(p.entry_index(SectionType::kTensors)).size / 48;
  const uint32_t ops = p.entry(p.entry_index(SectionType::kOps)).size / 32;
  const uint32_t op_io = p.entry(p.entry_index(SectionType::kOpIo)).size / 4;
  struct Case {
    const char* what;
    void (*edit)(ModelRecord&, uint32_t, uint32_t, uint32_t);
  };
  const Case cases[] = {
      {"no tensors", [](ModelRecord& m, uint32_t, uint32_t, uint32_t) { m.tensor_count = 0; }},
      {"tensors past the section", [](ModelRecord& m, uint32_t t, uint32_t,
                                      uint32_t) { m.tensor_count = t - m.first_tensor + 1; }},
      {"tensor range wraps",
       [](ModelRecord& m, uint32_t, uint32_t, uint32_t) { m.first_tensor = 0xFFFFFFF0u; }},
      {"no ops", [](ModelRecord& m, uint32_t, uint32_t, uint32_t) { m.op_count = 0; }},
      {"ops past the section",
       [](ModelRecord& m, uint32_t, uint32_t o, uint32_t) { m.op_count = o - m.first_op + 1; }},
      {"no inputs", [](ModelRecord& m, uint32_t, uint32_t, uint32_t) { m.input_count = 0; }},
      {"no outputs", [](ModelRecord& m, uint32_t, uint32_t, uint32_t) { m.output_count = 0; }},
      {"io past the section",
       [](ModelRecord& m, uint32_t, uint32_t, uint32_t io) { m.io_first = io - m.input_count; }},
  };
  for (const Case& c : cases) {
    EXPECT_REFUSED(
        model_broken(v1_pack(), 1, [&](ModelRecord& m) { c.edit(m, tensors, ops, op_io); }),
        Status::kBadModel, model(1))
        << c.what;
  }
  (void)m1;
}

TEST(PackRules, R6_GraphInputsAndOutputsAreActivations) {
  const PackBytes p(v1_pack());
  const ModelRecord m0 = p.model(0);
  // Input 0 pointed past the model's tensors, then at a constant (the conv weight).
  const uint32_t weight = p.op_tensor(0, 0, 1);
  for (uint32_t bad : {m0.tensor_count, weight}) {
    EXPECT_REFUSED(
        broken(v1_pack(),
               [&](PackBytes& b) { b.write<uint32_t>(b.op_io_at(0, m0.io_first), bad); }),
        Status::kBadModel, model(0))
        << bad;
  }
  // The output pointed at the constant.
  EXPECT_REFUSED(broken(v1_pack(),
                        [&](PackBytes& b) {
                          b.write<uint32_t>(b.op_io_at(0, m0.io_first + m0.input_count), weight);
                        }),
                 Status::kBadModel, model(0));
}

// ---- 7. tensors ----

// Sets a tensor's dims (rank kept unless given) and its size to match.
void set_dims(PackBytes& p, uint32_t m, uint32_t t, std::vector<uint32_t> dims) {
  p.edit<TensorRecord>(p.tensor_at(m, t), [&](TensorRecord& r) {
    uint64_t count = 1;
    for (uint32_t d = 0; d < yono::kMaxRank; ++d) r.dims[d] = 0;
    for (size_t d = 0; d < dims.size(); ++d) {
      r.dims[d] = dims[d];
      count *= dims[d];
    }
    r.rank = static_cast<uint8_t>(dims.size());
    r.size = static_cast<uint32_t>(count * yono::element_bytes(r.dtype));
  });
}

// Model 0 of v1: op 0 is the conv (x, w, bias -> c).
struct ImageConv {
  uint32_t x, w, bias, out;
};
ImageConv image_conv() {
  const PackBytes p(v1_pack());
  return {p.op_tensor(0, 0, 0), p.op_tensor(0, 0, 1), p.op_tensor(0, 0, 2), p.op_tensor(0, 0, 3)};
}

TEST(PackRules, R7_NameKindReserved) {
  const ImageConv c = image_conv();
  const PackBytes p(v1_pack());
  const uint32_t strings = p.entry(p.entry_index(SectionType::kStrings)).size;
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.out, [&](TensorRecord& t) { t.name = strings; }),
                 Status::kBadTensor, tensor(0, c.out));
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.out, [](TensorRecord& t) { t.kind = 2; }),
                 Status::kBadTensor, tensor(0, c.out));
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.out, [](TensorRecord& t) { t.reserved0 = 1; }),
                 Status::kBadTensor, tensor(0, c.out));
  for (uint32_t w : {0u, 1u}) {
    EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.out,
                                 [&](TensorRecord& t) {
                                   if (w == 0)
                                     t.quant_scale = 1.0f;
                                   else
                                     t.quant_zero_point = 1;
                                 }),
                   Status::kBadTensor, tensor(0, c.out));
  }
}

TEST(PackRules, R7_Dtype) {
  const ImageConv c = image_conv();
  // f16 is v2 only: the conv bias as halves in a v1 pack.
  auto as_half = [](TensorRecord& t) {
    t.dtype = static_cast<uint8_t>(yono::DType::kF16);
    t.size /= 2;
  };
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.bias, as_half), Status::kBadTensor,
                 tensor(0, c.bias));
  // ... and a constant only: a v2 activation (model 3's input) as halves.
  const uint32_t x = PackBytes(v2_pack()).op_tensor(3, 0, 0);
  EXPECT_REFUSED(tensor_broken(v2_pack(), 3, x, as_half), Status::kBadTensor, tensor(3, x));
  // Unknown dtypes (sizes as for 4-byte values).
  for (uint8_t dtype : {0, 5, 255}) {
    EXPECT_REFUSED(tensor_broken(v2_pack(), 3, PackBytes(v2_pack()).op_tensor(3, 0, 2),
                                 [&](TensorRecord& t) { t.dtype = dtype; }),
                   Status::kBadTensor, tensor(3, PackBytes(v2_pack()).op_tensor(3, 0, 2)));
  }
}

TEST(PackRules, R7_RankAndDims) {
  const ImageConv c = image_conv();
  // Rank 7 (all six stored dims 1 past the first, so the count agrees).
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.bias,
                               [](TensorRecord& t) {
                                 t.rank = 7;
                                 for (uint32_t d = 1; d < yono::kMaxRank; ++d) t.dims[d] = 1;
                               }),
                 Status::kBadTensor, tensor(0, c.bias));
  // A dim of 0 (size 0 to match).
  EXPECT_REFUSED(broken(v1_pack(),
                        [&](PackBytes& p) {
                          set_dims(p, 0, c.out, {1, 0, 6, 6});
                        }),
                 Status::kBadTensor, tensor(0, c.out));
  // A product past 2^30 that wraps 64 bits to 0 (size 0 to match).
  EXPECT_REFUSED(broken(v1_pack(),
                        [&](PackBytes& p) {
                          set_dims(p, 0, c.out, {1u << 31, 1u << 31, 4});
                        }),
                 Status::kBadTensor, tensor(0, c.out));
  // A dim past the rank.
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.bias, [](TensorRecord& t) { t.dims[5] = 1; }),
                 Status::kBadTensor, tensor(0, c.bias));
  // Size not 4 * elements.
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.w, [](TensorRecord& t) { t.size += 4; }),
                 Status::kBadTensor, tensor(0, c.w));
}

TEST(PackRules, R7_ActivationPlacement) {
  const ImageConv c = image_conv();
  const ModelRecord m0 = PackBytes(v1_pack()).model(0);
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.out, [](TensorRecord& t) { t.offset += 4; }),
                 Status::kBadTensor, tensor(0, c.out));
  EXPECT_REFUSED(
      tensor_broken(v1_pack(), 0, c.out, [&](TensorRecord& t) { t.offset = m0.arena_size; }),
      Status::kBadTensor, tensor(0, c.out));
  // v2: not into the scratch at the arena's end (model 1's conv output).
  const PackBytes p(v2_pack());
  const ModelRecord m1 = p.model(1);
  const uint32_t out = p.op_tensor(1, 0, 3);
  const uint32_t size = p.tensor(1, out).size;
  ASSERT_GT(m1.scratch_size, 0u);
  EXPECT_REFUSED(tensor_broken(v2_pack(), 1, out,
                               [&](TensorRecord& t) {
                                 t.offset = (m1.arena_size - m1.scratch_size - size + 16) / 16 * 16;
                               }),
                 Status::kBadTensor, tensor(1, out));
}

TEST(PackRules, R7_ConstantPlacement) {
  const ImageConv c = image_conv();
  const PackBytes p(v1_pack());
  const uint32_t weights = p.entry(p.entry_index(SectionType::kWeights)).size;
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, c.w, [](TensorRecord& t) { t.offset += 2; }),
                 Status::kBadTensor, tensor(0, c.w));
  EXPECT_REFUSED(
      tensor_broken(v1_pack(), 0, c.w, [&](TensorRecord& t) { t.offset = weights - t.size + 4; }),
      Status::kBadTensor, tensor(0, c.w));
  // f16 (v2, model 3's bias as halves): 2-aligned.
  const uint32_t bias = PackBytes(v2_pack()).op_tensor(3, 0, 2);
  EXPECT_EQ(tensor_broken(v2_pack(), 3, bias,
                          [](TensorRecord& t) {
                            t.dtype = static_cast<uint8_t>(yono::DType::kF16);
                            t.size /= 2;
                            t.offset += 2;
                          })
                .status,
            Status::kOk);
  EXPECT_REFUSED(tensor_broken(v2_pack(), 3, bias,
                               [](TensorRecord& t) {
                                 t.dtype = static_cast<uint8_t>(yono::DType::kF16);
                                 t.size /= 2;
                                 t.offset += 1;
                               }),
                 Status::kBadTensor, tensor(3, bias));
}

TEST(PackRules, R7_EncodedTensors) {
  const PackBytes p(v2_pack());
  const uint32_t w0 = p.op_tensor(0, 0, 1);  // PQ, block 0
  const uint32_t w2 = p.op_tensor(2, 0, 1);  // int8, block 2
  EXPECT_REFUSED(tensor_broken(v2_pack(), 0, w0, [](TensorRecord& t) { t.offset = 4; }),
                 Status::kBadTensor, tensor(0, w0));
  // The int8 block called PQ (element counts agree).
  EXPECT_REFUSED(
      tensor_broken(v2_pack(), 2, w2,
                    [](TensorRecord& t) { t.dtype = static_cast<uint8_t>(yono::DType::kPq); }),
      Status::kBadTensor, tensor(2, w2));
  // 6 x 20 weights over a 6 x 21 block.
  EXPECT_REFUSED(broken(v2_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, w0, {6, 20});
                        }),
                 Status::kBadTensor, tensor(0, w0));
}

// ---- 8. ops ----

TEST(PackRules, R8_TypeCountsReserved) {
  for (uint16_t type : {uint16_t{0}, yono::kOpTypeCount, uint16_t{0xFFFF}}) {
    EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [&](OpRecord& o) { o.type = type; }), Status::kBadOp,
                   op(0, 1));
  }
  EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [](OpRecord& o) { o.output_count = 2; }),
                 Status::kBadOp, op(0, 1));
  EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [](OpRecord& o) { o.input_count = 0; }), Status::kBadOp,
                 op(0, 1));
  for (uint32_t w = 0; w < 4; ++w) {
    EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [&](OpRecord& o) { o.reserved[w] = 1; }),
                   Status::kBadOp, op(0, 1));
  }
}

// Gives op j of model m a fresh OpIo range holding `io` (inputs, then the
// output) at the end of the section, and sets its input count.
void rewire(PackBytes& p, uint32_t m, uint32_t j, const std::vector<uint32_t>& io) {
  std::vector<uint8_t> bytes(io.size() * 4);
  std::memcpy(bytes.data(), io.data(), bytes.size());
  const uint32_t at = p.append_to_section(SectionType::kOpIo, bytes, p.model(m).segment);
  p.edit<OpRecord>(p.op_at(m, j), [&](OpRecord& o) {
    o.io_first = at / 4;
    o.input_count = static_cast<uint8_t>(io.size() - 1);
  });
}

TEST(PackRules, R8_InputCountAtMost64) {
  // The signal model's concat (inputs p, q2, p) with 65 inputs, all p.
  const PackBytes p(v1_pack());
  const uint32_t concat = p.find_op(1, OpType::kConcat);
  const uint32_t in = p.op_tensor(1, concat, 0), out = p.op_tensor(1, concat, 3);
  std::vector<uint32_t> io(65, in);
  io.push_back(out);
  EXPECT_REFUSED(broken(v1_pack(), [&](PackBytes& b) { rewire(b, 1, concat, io); }), Status::kBadOp,
                 op(1, concat));
}

TEST(PackRules, R8_IoInBounds) {
  const PackBytes p(v1_pack());
  const uint32_t slots = p.entry(p.entry_index(SectionType::kOpIo)).size / 4;
  EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [&](OpRecord& o) { o.io_first = slots - 1; }),
                 Status::kBadOp, op(0, 1));
  EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [&](OpRecord& o) { o.io_first = 0xFFFFFFFFu; }),
                 Status::kBadOp, op(0, 1));
  // An input index past the model's tensors.
  const uint32_t first = p.op(0, 1).io_first;
  EXPECT_REFUSED(broken(v1_pack(),
                        [&](PackBytes& b) {
                          b.write<uint32_t>(b.op_io_at(0, first), p.model(0).tensor_count);
                        }),
                 Status::kBadOp, op(0, 1));
}

TEST(PackRules, R8_Params) {
  const PackBytes p(v1_pack());
  const uint32_t params = p.entry(p.entry_index(SectionType::kParams)).size;
  EXPECT_REFUSED(op_broken(v1_pack(), 0, 1, [](OpRecord& o) { o.param_size += 4; }),
                 Status::kBadParams, op(0, 1));
  // The op's own params copied to a 2-aligned offset (appended; the
  // section stays a multiple of 4 bytes).
  EXPECT_REFUSED(
      broken(v1_pack(),
             [](PackBytes& b) {
               const OpRecord o = b.op(0, 1);
               std::vector<uint8_t> copy((2 + o.param_size + 3) / 4 * 4, 0);
               std::memcpy(copy.data() + 2, b.bytes().data() + b.params_at(0, 1), o.param_size);
               const uint32_t at = b.append_to_section(SectionType::kParams, copy);
               b.edit<OpRecord>(b.op_at(0, 1), [&](OpRecord& r) { r.param_offset = at + 2; });
             }),
      Status::kBadParams, op(0, 1));
  EXPECT_REFUSED(
      op_broken(v1_pack(), 0, 1, [&](OpRecord& o) { o.param_offset = params - o.param_size + 4; }),
      Status::kBadParams, op(0, 1));
}

TEST(PackRules, R8_WhatEachInputMayBe) {
  const PackBytes v2(v2_pack());
  const uint32_t bias3 = v2.op_tensor(3, 0, 2), w3 = v2.op_tensor(3, 0, 1);
  // v2 model 3 (int8 dense): its weights as input 2 (PQ/int8 only as input 1).
  EXPECT_REFUSED(
      broken(v2_pack(),
             [&](PackBytes& b) { b.write<uint32_t>(b.op_io_at(3, b.op(3, 0).io_first + 2), w3); }),
      Status::kBadOp, op(3, 0));
  // Its bias as a half is fine; as input 0 (rewired) a half is not.
  EXPECT_REFUSED(broken(v2_pack(),
                        [&](PackBytes& b) {
                          b.edit<TensorRecord>(b.tensor_at(3, bias3), [](TensorRecord& t) {
                            t.dtype = static_cast<uint8_t>(yono::DType::kF16);
                            t.size /= 2;
                          });
                          b.write<uint32_t>(b.op_io_at(3, b.op(3, 0).io_first + 1), bias3);
                        }),
                 Status::kBadOp, op(3, 0));
}

TEST(PackRules, R8_OutputIsAnActivationNotOverlappingInputs) {
  const ImageConv c = image_conv();
  const PackBytes p(v1_pack());
  // The conv writing its bias constant.
  EXPECT_REFUSED(broken(v1_pack(),
                        [&](PackBytes& b) {
                          b.write<uint32_t>(b.op_io_at(0, b.op(0, 0).io_first + 3), c.bias);
                        }),
                 Status::kBadOp, op(0, 0));
  // The max pool's output moved onto its input's bytes.
  const uint32_t pool_in = p.op_tensor(0, 1, 0), pool_out = p.op_tensor(0, 1, 1);
  const uint32_t in_at = p.tensor(0, pool_in).offset;
  EXPECT_REFUSED(tensor_broken(v1_pack(), 0, pool_out, [&](TensorRecord& t) { t.offset = in_at; }),
                 Status::kBadOp, op(0, 1));
  // A Reshape may write over its input.
  const uint32_t reshape = p.find_op(0, OpType::kReshape);
  const uint32_t r_in = p.op_tensor(0, reshape, 0), r_out = p.op_tensor(0, reshape, 1);
  const uint32_t r_at = p.tensor(0, r_in).offset;
  EXPECT_EQ(tensor_broken(v1_pack(), 0, r_out, [&](TensorRecord& t) { t.offset = r_at; }).status,
            Status::kOk);
}

// ---- 9. per op type ----
//
// Each case keeps every other rule intact (tensor dims edited with their
// sizes, windows that still fit), so without the rule under test the pack
// would open, or fail later at another op.

template <class P, class F>
OpenResult op_params_broken(const std::vector<uint8_t>& pack, uint32_t m, uint32_t j, F&& f) {
  return broken(pack, [&](PackBytes& p) { p.edit<P>(p.params_at(m, j), f); });
}

// Slot k of op j (inputs, then the output) pointed at tensor t.
OpenResult io_broken(const std::vector<uint8_t>& pack, uint32_t m, uint32_t j, uint32_t k,
                     uint32_t t) {
  return broken(
      pack, [&](PackBytes& p) { p.write<uint32_t>(p.op_io_at(m, p.op(m, j).io_first + k), t); });
}

// Op j with one more input (a copy of its first).
OpenResult extra_input(const std::vector<uint8_t>& pack, uint32_t m, uint32_t j) {
  return broken(pack, [&](PackBytes& p) {
    const OpRecord o = p.op(m, j);
    std::vector<uint32_t> io;
    for (uint32_t k = 0; k < o.input_count; ++k) io.push_back(p.op_tensor(m, j, k));
    io.push_back(io[0]);
    io.push_back(p.op_tensor(m, j, o.input_count));
    rewire(p, m, j, io);
  });
}

template <class F>
OpenResult edited(const std::vector<uint8_t>& pack, F&& f) {
  return broken(pack, f);
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(PackRules, R9_ConvInputs) {
  const ImageConv c = image_conv();
  using yono::ConvParams;
  EXPECT_REFUSED(
      op_params_broken<ConvParams>(v1_pack(), 0, 0, [](ConvParams& q) { q.has_bias = 2; }),
      Status::kBadOp, op(0, 0));
  EXPECT_REFUSED(
      op_params_broken<ConvParams>(v1_pack(), 0, 0, [](ConvParams& q) { q.has_bias = 0; }),
      Status::kBadOp, op(0, 0));
  // x a constant (the weights, 72 values like x), weights an activation
  // (x), the bias an activation written only later (the 4-value pool output).
  EXPECT_REFUSED(io_broken(v1_pack(), 0, 0, 0, c.w), Status::kBadOp, op(0, 0));
  EXPECT_REFUSED(io_broken(v1_pack(), 0, 0, 1, c.x), Status::kBadOp, op(0, 0));
  EXPECT_REFUSED(io_broken(v1_pack(), 0, 0, 2, c.x), Status::kBadOp, op(0, 0));
  // has_bias 2 with four inputs (x, w, bias, bias), so the count agrees.
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& p) {
                          rewire(p, 0, 0, {c.x, c.w, c.bias, c.bias, c.out});
                          p.edit<ConvParams>(p.params_at(0, 0),
                                             [](ConvParams& q) { q.has_bias = 2; });
                        }),
                 Status::kBadOp, op(0, 0));
}

TEST(PackRules, R9_ConvParams) {
  using yono::ConvParams;
  const ImageConv c = image_conv();
  for (float lo : {1.0f, kNaN}) {
    EXPECT_REFUSED(op_params_broken<ConvParams>(v1_pack(), 0, 0,
                                                [&](ConvParams& q) {
                                                  q.act_min = lo;
                                                  q.act_max = 0.5f;
                                                }),
                   Status::kBadParams, op(0, 0));
  }
  EXPECT_REFUSED(op_params_broken<ConvParams>(v1_pack(), 0, 0, [](ConvParams& q) { q.groups = 0; }),
                 Status::kBadParams, op(0, 0));
  // in_c 3 over 2 groups, x (as 3 x 4 x 6, same bytes), weights and output
  // resized to agree.
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& p) {
                          p.edit<ConvParams>(p.params_at(0, 0), [](ConvParams& q) {
                            q.in_c = 3;
                            q.groups = 2;
                            q.in_h = q.out_h = 4;
                          });
                          set_dims(p, 0, c.x, {1, 3, 4, 6});
                          set_dims(p, 0, c.w, {4, 1, 3, 3});
                          set_dims(p, 0, c.out, {1, 4, 4, 6});
                        }),
                 Status::kBadParams, op(0, 0));
  // out_c 3 over 2 groups (weights, bias and output resized).
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& p) {
                          p.edit<ConvParams>(p.params_at(0, 0), [](ConvParams& q) {
                            q.out_c = 3;
                            q.groups = 2;
                          });
                          set_dims(p, 0, c.w, {3, 1, 3, 3});
                          set_dims(p, 0, c.bias, {3});
                          set_dims(p, 0, c.out, {1, 3, 6, 6});
                        }),
                 Status::kBadParams, op(0, 0));
}

TEST(PackRules, R9_Windows) {
  using yono::ConvParams;
  // Image conv, h axis: in 6, out 6, k 3, pad 1.
  auto conv = [](void (*f)(ConvParams&)) {
    return op_params_broken<ConvParams>(v1_pack(), 0, 0, f);
  };
  EXPECT_REFUSED(conv([](ConvParams& q) { q.stride_h = 0; }), Status::kBadParams, op(0, 0));
  EXPECT_REFUSED(conv([](ConvParams& q) { q.pad_top = 3; }), Status::kBadParams, op(0, 0));
  EXPECT_REFUSED(conv([](ConvParams& q) { q.stride_h = 2; }), Status::kBadParams, op(0, 0));
  EXPECT_REFUSED(conv([](ConvParams& q) { q.stride_w = 2; }), Status::kBadParams, op(0, 0));
  // Signal conv1d: h axis of 1 (in 1, out 1, k 1, pad 0), w: in 8, out 8, k 3, pad 1.
  auto conv1d = [](void (*f)(ConvParams&)) {
    return op_params_broken<ConvParams>(v1_pack(), 1, 0, f);
  };
  EXPECT_REFUSED(conv1d([](ConvParams& q) { q.dilation_h = 0; }), Status::kBadParams, op(1, 0));
  EXPECT_REFUSED(conv1d([](ConvParams& q) { q.stride_h = 1u << 31; }), Status::kBadParams,
                 op(1, 0));
  EXPECT_REFUSED(conv1d([](ConvParams& q) { q.dilation_h = 1u << 31; }), Status::kBadParams,
                 op(1, 0));
  // Extent 2^31 + 1: every other window rule holds.
  EXPECT_REFUSED(conv1d([](ConvParams& q) { q.dilation_w = 1u << 30; }), Status::kBadParams,
                 op(1, 0));
  // A dilation of 2 on that axis is fine (extent 5, pad 1).
  EXPECT_EQ(conv1d([](ConvParams& q) { q.dilation_w = 2; }).status, Status::kOk);
}

TEST(PackRules, R9_ConvElementCounts) {
  const ImageConv c = image_conv();
  const std::vector<std::pair<uint32_t, std::vector<uint32_t>>> cases = {
      {c.x, {1, 2, 6, 5}}, {c.out, {1, 4, 6, 5}}, {c.w, {4, 2, 3, 2}}, {c.bias, {3}}};
  for (const auto& [t, dims] : cases) {
    EXPECT_REFUSED(edited(v1_pack(), [&](PackBytes& p) { set_dims(p, 0, t, dims); }),
                   Status::kBadParams, op(0, 0))
        << t;
  }
}

TEST(PackRules, R9_DenseInputsAndCounts) {
  using yono::DenseParams;
  const PackBytes p(v1_pack());
  const uint32_t fc = p.find_op(0, OpType::kDense);
  const uint32_t w = p.op_tensor(0, fc, 1), bias = p.op_tensor(0, fc, 2);
  const uint32_t scale = p.op_tensor(0, 2, 1);  // ChannelAffine's 4 scales
  const uint32_t f = p.op_tensor(0, fc, 0), g = p.op_tensor(0, 3, 1);
  EXPECT_REFUSED(
      op_params_broken<DenseParams>(v1_pack(), 0, fc, [](DenseParams& q) { q.has_bias = 2; }),
      Status::kBadOp, op(0, fc));
  EXPECT_REFUSED(
      op_params_broken<DenseParams>(v1_pack(), 0, fc, [](DenseParams& q) { q.has_bias = 0; }),
      Status::kBadOp, op(0, fc));
  EXPECT_REFUSED(io_broken(v1_pack(), 0, fc, 0, scale), Status::kBadOp, op(0, fc));
  EXPECT_REFUSED(io_broken(v1_pack(), 0, fc, 1, f), Status::kBadOp, op(0, fc));
  EXPECT_REFUSED(io_broken(v1_pack(), 0, fc, 2, g), Status::kBadOp, op(0, fc));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          rewire(b, 0, fc, {f, w, bias, bias, p.op_tensor(0, fc, 3)});
                          b.edit<DenseParams>(b.params_at(0, fc),
                                              [](DenseParams& q) { q.has_bias = 2; });
                        }),
                 Status::kBadOp, op(0, fc));
  EXPECT_REFUSED(
      op_params_broken<DenseParams>(v1_pack(), 0, fc, [](DenseParams& q) { q.act_max = kNaN; }),
      Status::kBadParams, op(0, fc));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, w, {3, 3});
                        }),
                 Status::kBadParams, op(0, fc));
  EXPECT_REFUSED(edited(v1_pack(), [&](PackBytes& b) { set_dims(b, 0, bias, {2}); }),
                 Status::kBadParams, op(0, fc));
  // v2 model 0 (PQ dense, x {1, 21} -> y {1, 6}): x, then y, resized.
  const PackBytes v2(v2_pack());
  const uint32_t x = v2.op_tensor(0, 0, 0), y = v2.op_tensor(0, 0, 3);
  EXPECT_REFUSED(edited(v2_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, x, {1, 20});
                        }),
                 Status::kBadParams, op(0, 0));
  EXPECT_REFUSED(edited(v2_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, y, {1, 5});
                        }),
                 Status::kBadParams, op(0, 0));
}

// The conv kernels on encoded weights (model 1 PQ, model 2 int8) need
// scratch: 16 bytes short is refused. The dense ones need none.
TEST(PackRules, R9_ScratchForEncodedWeights) {
  const PackBytes v2(v2_pack());
  for (uint32_t m : {1u, 2u}) {
    ASSERT_GE(v2.model(m).scratch_size, 16u) << m;
    EXPECT_REFUSED(model_broken(v2_pack(), m, [](ModelRecord& x) { x.scratch_size -= 16; }),
                   Status::kBadParams, op(m, 0))
        << m;
  }
  EXPECT_EQ(v2.model(0).scratch_size, 0u);
  EXPECT_EQ(v2.model(3).scratch_size, 0u);
}

TEST(PackRules, R9_Pools) {
  using yono::GlobalPoolParams;
  using yono::PoolParams;
  const PackBytes p(v1_pack());
  // Max pool (model 0 op 1): c 4, 6x6 -> 3x3, k 2, stride 2.
  auto pool = [](void (*f)(PoolParams&)) {
    return op_params_broken<PoolParams>(v1_pack(), 0, 1, f);
  };
  EXPECT_REFUSED(extra_input(v1_pack(), 0, 1), Status::kBadOp, op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.kind = 2; }), Status::kBadParams, op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.count_include_pad = 2; }), Status::kBadParams,
                 op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.stride_h = 0; }), Status::kBadParams, op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.stride_w = 0; }), Status::kBadParams, op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.kh = q.kw = 1u << 16; }), Status::kBadParams, op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.in_w = 5; }), Status::kBadParams, op(0, 1));
  EXPECT_REFUSED(pool([](PoolParams& q) { q.out_w = 2; }), Status::kBadParams, op(0, 1));
  // Global pool (op 3): c 4, spatial 9.
  const uint32_t gap = p.find_op(0, OpType::kGlobalPool);
  EXPECT_REFUSED(extra_input(v1_pack(), 0, gap), Status::kBadOp, op(0, gap));
  EXPECT_REFUSED(op_params_broken<GlobalPoolParams>(v1_pack(), 0, gap,
                                                    [](GlobalPoolParams& q) { q.kind = 3; }),
                 Status::kBadParams, op(0, gap));
  EXPECT_REFUSED(op_params_broken<GlobalPoolParams>(v1_pack(), 0, gap,
                                                    [](GlobalPoolParams& q) { q.spatial = 8; }),
                 Status::kBadParams, op(0, gap));
  const uint32_t g = p.op_tensor(0, gap, 1);
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, g, {1, 3, 1, 1});
                        }),
                 Status::kBadParams, op(0, gap));
}

TEST(PackRules, R9_Unary) {
  using yono::UnaryParams;
  const PackBytes p(v1_pack());
  const uint32_t sig = p.find_op(1, OpType::kUnary);
  const uint32_t out = p.op_tensor(1, sig, 1);
  EXPECT_REFUSED(extra_input(v1_pack(), 1, sig), Status::kBadOp, op(1, sig));
  EXPECT_REFUSED(
      op_params_broken<UnaryParams>(v1_pack(), 1, sig, [](UnaryParams& q) { q.kind = 99; }),
      Status::kBadParams, op(1, sig));
  // count 23 with the output resized: only the input disagrees.
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          b.edit<UnaryParams>(b.params_at(1, sig),
                                              [](UnaryParams& q) { q.count = 23; });
                          set_dims(b, 1, out, {1, 23});
                        }),
                 Status::kBadParams, op(1, sig));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 1, out, {1, 23});
                        }),
                 Status::kBadParams, op(1, sig));
}

TEST(PackRules, R9_Binary) {
  using yono::BinaryParams;
  using yono::Broadcast;
  const PackBytes p(v1_pack());
  const uint32_t add = p.find_op(1, OpType::kBinary, 0);
  const uint32_t sub = p.find_op(1, OpType::kBinary, 2);
  auto add_params = [&](void (*f)(BinaryParams&)) {
    return op_params_broken<BinaryParams>(v1_pack(), 1, add, f);
  };
  EXPECT_REFUSED(extra_input(v1_pack(), 1, add), Status::kBadOp, op(1, add));
  EXPECT_REFUSED(add_params([](BinaryParams& q) { q.kind = 99; }), Status::kBadParams, op(1, add));
  EXPECT_REFUSED(add_params([](BinaryParams& q) { q.act_min = kNaN; }), Status::kBadParams,
                 op(1, add));
  EXPECT_REFUSED(add_params([](BinaryParams& q) { q.broadcast = 99; }), Status::kBadParams,
                 op(1, add));
  // a scalar, then b scalar: only that input's count disagrees.
  EXPECT_REFUSED(
      add_params([](BinaryParams& q) { q.broadcast = static_cast<uint32_t>(Broadcast::kAScalar); }),
      Status::kBadParams, op(1, add));
  EXPECT_REFUSED(
      add_params([](BinaryParams& q) { q.broadcast = static_cast<uint32_t>(Broadcast::kBScalar); }),
      Status::kBadParams, op(1, add));
  const uint32_t r = p.op_tensor(1, add, 2);
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 1, r, {1, 3, 7});
                        }),
                 Status::kBadParams, op(1, add));
  // Per-channel a (9 channels of 11): c * inner must be the count.
  EXPECT_REFUSED(
      op_params_broken<BinaryParams>(v1_pack(), 1, sub, [](BinaryParams& q) { q.inner = 10; }),
      Status::kBadParams, op(1, sub));
}

TEST(PackRules, R9_ChannelAffine) {
  using yono::ChannelAffineParams;
  const PackBytes p(v1_pack());
  const uint32_t j = p.find_op(0, OpType::kChannelAffine);
  const uint32_t scale = p.op_tensor(0, j, 1), shift = p.op_tensor(0, j, 2),
                 out = p.op_tensor(0, j, 3);
  EXPECT_REFUSED(extra_input(v1_pack(), 0, j), Status::kBadOp, op(0, j));
  EXPECT_REFUSED(op_params_broken<ChannelAffineParams>(
                     v1_pack(), 0, j, [](ChannelAffineParams& q) { q.act_max = kNaN; }),
                 Status::kBadParams, op(0, j));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          b.edit<ChannelAffineParams>(b.params_at(0, j),
                                                      [](ChannelAffineParams& q) { q.inner = 8; });
                          set_dims(b, 0, out, {1, 4, 2, 4});
                        }),
                 Status::kBadParams, op(0, j));
  for (const auto& [t, dims] : std::vector<std::pair<uint32_t, std::vector<uint32_t>>>{
           {out, {1, 4, 3, 2}}, {scale, {3}}, {shift, {3}}}) {
    EXPECT_REFUSED(edited(v1_pack(), [&](PackBytes& b) { set_dims(b, 0, t, dims); }),
                   Status::kBadParams, op(0, j))
        << t;
  }
}

TEST(PackRules, R9_ConcatSoftmaxPadReshape) {
  using yono::ConcatParams;
  using yono::PadParams;
  using yono::SoftmaxParams;
  const PackBytes p(v1_pack());
  // Concat (signal): three 3 x 11 inputs on axis 1 -> 9 x 11; outer 1, inner 11.
  const uint32_t cat = p.find_op(1, OpType::kConcat);
  EXPECT_REFUSED(
      op_params_broken<ConcatParams>(v1_pack(), 1, cat, [](ConcatParams& q) { q.outer = 0; }),
      Status::kBadParams, op(1, cat));
  EXPECT_REFUSED(
      op_params_broken<ConcatParams>(v1_pack(), 1, cat, [](ConcatParams& q) { q.inner = 7; }),
      Status::kBadParams, op(1, cat));
  const uint32_t k = p.op_tensor(1, cat, 3);
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 1, k, {1, 8, 11});
                        }),
                 Status::kBadParams, op(1, cat));
  // Softmax (image, last op): 1 x 3.
  const uint32_t sm = p.find_op(0, OpType::kSoftmax);
  const uint32_t y = p.op_tensor(0, sm, 1);
  EXPECT_REFUSED(extra_input(v1_pack(), 0, sm), Status::kBadOp, op(0, sm));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          b.edit<SoftmaxParams>(b.params_at(0, sm),
                                                [](SoftmaxParams& q) { q.axis_len = 2; });
                          set_dims(b, 0, y, {1, 2});
                        }),
                 Status::kBadParams, op(0, sm));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, y, {1, 2});
                        }),
                 Status::kBadParams, op(0, sm));
  // Pad (signal): 3 x (1 x 8) -> 3 x (1 x 11).
  const uint32_t pad = p.find_op(1, OpType::kPad);
  const uint32_t padded = p.op_tensor(1, pad, 1);
  EXPECT_REFUSED(extra_input(v1_pack(), 1, pad), Status::kBadOp, op(1, pad));
  EXPECT_REFUSED(op_params_broken<PadParams>(v1_pack(), 1, pad,
                                             [](PadParams& q) {
                                               q.in_w = 7;
                                               q.pad_right += 1;
                                             }),
                 Status::kBadParams, op(1, pad));
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 1, padded, {1, 3, 10});
                        }),
                 Status::kBadParams, op(1, pad));
  // Reshape (image): same bytes in and out.
  const uint32_t rs = p.find_op(0, OpType::kReshape);
  EXPECT_REFUSED(extra_input(v1_pack(), 0, rs), Status::kBadOp, op(0, rs));
  const uint32_t flat = p.op_tensor(0, rs, 1);
  EXPECT_REFUSED(edited(v1_pack(),
                        [&](PackBytes& b) {
                          set_dims(b, 0, flat, {1, 3});
                        }),
                 Status::kBadParams, op(0, rs));
}

// ---- 10. dataflow ----

TEST(PackRules, R10_ModelOutputsAreWritten) {
  // The image model without its last op (Softmax): its output is never written.
  EXPECT_REFUSED(model_broken(v1_pack(), 0, [](ModelRecord& m) { m.op_count -= 1; }),
                 Status::kBadModel, dataflow(0));
}

TEST(PackRules, R10_OpsReadWhatWasWritten) {
  // The signal model's Add reads (x, c); point its second input at the
  // sigmoid's output s, written only later.
  const PackBytes p(v1_pack());
  const uint32_t add = p.find_op(1, OpType::kBinary, 0);
  const uint32_t sigmoid = p.find_op(1, OpType::kUnary, 0);
  ASSERT_LT(add, sigmoid);
  const uint32_t s = p.op_tensor(1, sigmoid, 1);
  EXPECT_REFUSED(
      broken(v1_pack(),
             [&](PackBytes& b) { b.write<uint32_t>(b.op_io_at(1, b.op(1, add).io_first + 1), s); }),
      Status::kBadOp, dataflow(1));
}

}  // namespace

namespace {

// [1,2,3,4] -> AxisGather (a transpose to [1,4,2,3]) -> LogSoftmax: the
// variable-size params of rule 8 and the AxisGather checks of rule 9.
const std::vector<uint8_t>& gather_pack() {
  static const std::vector<uint8_t> bytes = [] {
    yono::ir::Graph g;
    g.name = "gather";
    yono::ir::Tensor x;
    x.name = "x";
    x.dims = {1, 2, 3, 4};
    const int in = g.add_tensor(x);
    g.inputs = {in};
    yono::ir::Tensor y;
    y.name = "y";
    const int mid = g.add_tensor(y);
    yono::ir::AxisGatherAttrs a;
    a.dims = {1, 4, 2, 3};
    a.view = {4, 2, 3};
    a.offsets = {{0, 1, 2, 3}, {0, 12}, {0, 4, 8}};
    a.source = "Transpose";
    g.ops.push_back({"t", a, {in}, {mid}});
    y.name = "z";
    const int out = g.add_tensor(y);
    g.ops.push_back({"ls", yono::ir::SoftmaxAttrs{1, true}, {mid}, {out}});
    g.outputs = {out};
    yono::ir::infer_shapes(g);
    return yono::write_pack({g});
  }();
  return bytes;
}

TEST(PackRules, R8_AxisGatherParamsAreTheHeadPlusItsTables) {
  ASSERT_EQ(PackBytes(gather_pack()).open().status, Status::kOk);
  const uint32_t t = PackBytes(gather_pack()).find_op(0, OpType::kAxisGather);
  // One table entry short or long of what the dims say.
  for (int delta : {-4, 4})
    EXPECT_REFUSED(op_broken(gather_pack(), 0, t,
                             [&](OpRecord& r) {
                               r.param_size = static_cast<uint32_t>(int(r.param_size) + delta);
                             }),
                   Status::kBadParams, op(0, t));
  // Shorter than the fixed head.
  EXPECT_REFUSED(op_broken(gather_pack(), 0, t, [](OpRecord& r) { r.param_size = 24; }),
                 Status::kBadParams, op(0, t));
}

TEST(PackRules, R9_AxisGatherReadsOnlyItsInput) {
  using yono::AxisGatherParams;
  const uint32_t t = PackBytes(gather_pack()).find_op(0, OpType::kAxisGather);
  // Sum of the tables' largest entries: 3 + 12 + 8 = 23 < 24; one more reaches past.
  EXPECT_REFUSED(broken(gather_pack(),
                        [&](PackBytes& p) {
                          const size_t last = p.params_at(0, t) + sizeof(AxisGatherParams) + 8 * 4;
                          p.write<uint32_t>(last, 9);
                        }),
                 Status::kBadParams, op(0, t));
  EXPECT_REFUSED(
      params_broken<AxisGatherParams>(gather_pack(), 0, t, [](AxisGatherParams& q) { q.rank = 0; }),
      Status::kBadParams, op(0, t));
  EXPECT_REFUSED(
      params_broken<AxisGatherParams>(gather_pack(), 0, t, [](AxisGatherParams& q) { q.rank = 7; }),
      Status::kBadParams, op(0, t));
  // A used dim of 0, and an unused one that is not 0.
  EXPECT_REFUSED(
      params_broken<AxisGatherParams>(gather_pack(), 0, t, [](AxisGatherParams& q) { q.rank = 2; }),
      Status::kBadParams, op(0, t));
  EXPECT_REFUSED(
      params_broken<AxisGatherParams>(gather_pack(), 0, t, [](AxisGatherParams& q) { q.rank = 4; }),
      Status::kBadParams, op(0, t));
  // Dims whose product is not the output's count (tables resized to match).
  EXPECT_REFUSED(broken(gather_pack(),
                        [&](PackBytes& p) {
                          p.edit<AxisGatherParams>(p.params_at(0, t),
                                                   [](AxisGatherParams& q) { q.dims[0] = 3; });
                          p.edit<OpRecord>(p.op_at(0, t), [](OpRecord& r) { r.param_size -= 4; });
                        }),
                 Status::kBadParams, op(0, t));
  EXPECT_REFUSED(extra_input(gather_pack(), 0, t), Status::kBadOp, op(0, t));
}

// ---- integer execution (docs/pack-format.md, "Integer execution") ----

// Model 0 of i8_pack: the int8 conv (x8, w, bias, requant -> y8).
struct Int8Conv {
  uint32_t op, x, w, bias, requant, out;
};
Int8Conv int8_conv() {
  const PackBytes p(i8_pack());
  const uint32_t j = p.find_op(0, OpType::kConv);
  return {j,
          p.op_tensor(0, j, 0),
          p.op_tensor(0, j, 1),
          p.op_tensor(0, j, 2),
          p.op_tensor(0, j, 3),
          p.op_tensor(0, j, 4)};
}

TEST(PackRules, R7_Int8Quantization) {
  const Int8Conv c = int8_conv();
  for (float bad : {0.0f, -1.0f, NAN, INFINITY}) {
    EXPECT_REFUSED(
        tensor_broken(i8_pack(), 0, c.out, [&](TensorRecord& t) { t.quant_scale = bad; }),
        Status::kBadTensor, tensor(0, c.out));
  }
  for (int32_t zp : {128, -129}) {
    EXPECT_REFUSED(
        tensor_broken(i8_pack(), 0, c.out, [&](TensorRecord& t) { t.quant_zero_point = zp; }),
        Status::kBadTensor, tensor(0, c.out));
  }
  // Only i8 activations carry quantization; an i32 constant is no activation.
  EXPECT_REFUSED(tensor_broken(i8_pack(), 0, c.bias, [](TensorRecord& t) { t.quant_scale = 1; }),
                 Status::kBadTensor, tensor(0, c.bias));
  EXPECT_REFUSED(tensor_broken(i8_pack(), 0, c.bias,
                               [](TensorRecord& t) {
                                 t.kind = static_cast<uint8_t>(yono::TensorKind::kActivation);
                                 t.offset = 0;
                               }),
                 Status::kBadTensor, tensor(0, c.bias));
}

TEST(PackRules, R6_ModelInterfaceIsF32) {
  const PackBytes p(i8_pack());
  const uint32_t in = p.op_tensor(0, 0, 0);  // the first Convert's f32 input: the model input
  EXPECT_REFUSED(tensor_broken(i8_pack(), 0, in,
                               [](TensorRecord& t) {
                                 t.dtype = static_cast<uint8_t>(yono::DType::kI8);
                                 t.size /= 4;
                                 t.quant_scale = 1.0f;
                               }),
                 Status::kBadModel, model(0));
}

TEST(PackRules, R8_Int8OpsNeedAnInt8Version) {
  const PackBytes p(i8_pack());
  // ChannelAffine has no int8 version: feed it the int8 pool output.
  const uint32_t affine = p.find_op(0, OpType::kChannelAffine);
  const uint32_t pool_out = p.op_tensor(0, p.find_op(0, OpType::kPool), 1);
  EXPECT_REFUSED(
      broken(i8_pack(),
             [&](PackBytes& b) { b.write(b.op_io_at(0, b.op(0, affine).io_first), pool_out); }),
      Status::kBadOp, op(0, affine));
  // A Convert between two f32 tensors.
  const uint32_t convert = p.find_op(0, OpType::kConvert);
  EXPECT_REFUSED(tensor_broken(i8_pack(), 0, p.op_tensor(0, convert, 1),
                               [](TensorRecord& t) {
                                 t.dtype = static_cast<uint8_t>(yono::DType::kF32);
                                 t.size *= 4;
                                 t.quant_scale = 0;
                                 t.quant_zero_point = 0;
                                 t.offset = 0;
                               }),
                 Status::kBadOp, op(0, convert));
}

TEST(PackRules, R9_Int8ConvRequantBiasClamp) {
  const Int8Conv c = int8_conv();
  const PackBytes p(i8_pack());
  const size_t requant = p.weights_at() + p.tensor(0, c.requant).offset;
  EXPECT_REFUSED(broken(i8_pack(),
                        [&](PackBytes& b) {
                          b.write(requant + 4, int32_t{31});  // entry 0's shift
                        }),
                 Status::kBadParams, op(0, c.op));
  EXPECT_REFUSED(broken(i8_pack(),
                        [&](PackBytes& b) {
                          b.write(requant + 12, int32_t{-32});  // entry 1's shift
                        }),
                 Status::kBadParams, op(0, c.op));
  for (float lo : {0.5f, -129.0f, 127.5f, NAN}) {
    EXPECT_REFUSED(params_broken<yono::ConvParams>(i8_pack(), 0, c.op,
                                                   [&](yono::ConvParams& cp) { cp.act_min = lo; }),
                   Status::kBadParams, op(0, c.op));
  }
  EXPECT_REFUSED(params_broken<yono::ConvParams>(i8_pack(), 0, c.op,
                                                 [](yono::ConvParams& cp) {
                                                   cp.act_min = 10;
                                                   cp.act_max = 9;
                                                 }),
                 Status::kBadParams, op(0, c.op));
  // The bias read as f32 values: the int8 conv refuses it.
  EXPECT_REFUSED(
      tensor_broken(i8_pack(), 0, c.bias,
                    [](TensorRecord& t) { t.dtype = static_cast<uint8_t>(yono::DType::kF32); }),
      Status::kBadOp, op(0, c.op));
  EXPECT_REFUSED(params_broken<yono::ConvParams>(i8_pack(), 0, c.op,
                                                 [](yono::ConvParams& cp) { cp.has_bias = 0; }),
                 Status::kBadOp, op(0, c.op));
}

TEST(PackRules, R9_Int8PoolsKeepQuantization) {
  const PackBytes p(i8_pack());
  const uint32_t pool = p.find_op(0, OpType::kPool);
  EXPECT_REFUSED(tensor_broken(i8_pack(), 0, p.op_tensor(0, pool, 1),
                               [](TensorRecord& t) { t.quant_zero_point += 1; }),
                 Status::kBadOp, op(0, pool));
  const uint32_t gap = p.find_op(0, OpType::kGlobalPool);
  EXPECT_REFUSED(tensor_broken(i8_pack(), 0, p.op_tensor(0, gap, 1),
                               [](TensorRecord& t) { t.quant_scale *= 2; }),
                 Status::kBadOp, op(0, gap));
  EXPECT_REFUSED(
      params_broken<yono::GlobalPoolParams>(
          i8_pack(), 0, gap,
          [](yono::GlobalPoolParams& g) { g.kind = static_cast<uint32_t>(yono::PoolKind::kSum); }),
      Status::kBadParams, op(0, gap));
}

TEST(PackRules, R9_Int8AddAndTable) {
  const PackBytes p(i8_pack());
  const uint32_t add = p.find_op(1, OpType::kBinary);
  const size_t requant = p.weights_at() + p.tensor(1, p.op_tensor(1, add, 2)).offset;
  EXPECT_REFUSED(broken(i8_pack(), [&](PackBytes& b) { b.write(requant, int32_t{24}); }),
                 Status::kBadParams, op(1, add));
  EXPECT_REFUSED(broken(i8_pack(), [&](PackBytes& b) { b.write(requant + 24, int32_t{31}); }),
                 Status::kBadParams, op(1, add));
  EXPECT_REFUSED(
      params_broken<yono::BinaryParams>(
          i8_pack(), 1, add,
          [](yono::BinaryParams& bp) { bp.kind = static_cast<uint32_t>(yono::BinaryKind::kSub); }),
      Status::kBadParams, op(1, add));
  const uint32_t table_op = p.find_op(1, OpType::kUnary);
  EXPECT_REFUSED(tensor_broken(i8_pack(), 1, p.op_tensor(1, table_op, 1),
                               [](TensorRecord& t) {
                                 t.dims[0] = 255;
                                 t.size = 255;
                               }),
                 Status::kBadOp, op(1, table_op));
}

TEST(PackRules, R4_R9_Int16Codebooks) {
  EXPECT_REFUSED(codebook_broken(i8_pack(), 0, [](CodebookRecord& c) { c.value_scale = 0; }),
                 Status::kBadTensor, codebook(0));
  // The same lanes as f16: an f32 conv could read them, an int8 one cannot.
  const PackBytes p(i8_pack());
  const uint32_t conv = p.find_op(2, OpType::kConv);
  EXPECT_REFUSED(codebook_broken(i8_pack(), 0,
                                 [](CodebookRecord& c) {
                                   c.dtype = static_cast<uint32_t>(yono::CodebookDType::kF16);
                                   c.value_scale = 0;
                                 }),
                 Status::kBadOp, op(2, conv));
}

}  // namespace
