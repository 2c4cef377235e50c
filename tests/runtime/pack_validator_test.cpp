// The reader must survive arbitrary bytes: every flip, every truncation and,
// with checksums recomputed so only the validator stands guard, every record
// field set to hostile values. Buffers are exact-size heap copies, so under
// ASan (build with -DYONO_SANITIZE=ON) any out-of-bounds access fails loudly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "pack_bytes.h"
#include "pack_test_graphs.h"
#include "sample_packs.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/crc32.h"
#include "yono/format.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace {

using yono::Status;

// Two float models (v1), and four encoded ones (v2: PQ on an i8 codebook
// whose K = 20 is not a power of two, PQ on an f16 codebook, int8), from
// sample_packs.h.
const std::vector<uint8_t>& sample_pack() {
  return yono::test::v1_pack();
}
const std::vector<uint8_t>& v2_sample_pack() {
  return yono::test::v2_pack();
}

// Opens a copy of `bytes` (truncated to `len`); when the reader accepts it,
// runs every model whose arena is of a sane size. Returns the open status.
Status open_and_run(const std::vector<uint8_t>& bytes, size_t len) {
  // Exact-size allocation, so ASan catches a read one byte past the end:
  // AlignedBuffer rounds up to 16, so a 4-aligned malloc of exactly len
  // bytes is used instead.
  uint8_t* data = static_cast<uint8_t*>(std::malloc(len == 0 ? 1 : len));
  std::memcpy(data, bytes.data(), len);
  yono::Pack pack;
  const Status s = yono::Pack::open(data, len, &pack);
  if (s == Status::kOk) {
    for (uint32_t m = 0; m < pack.model_count(); ++m) {
      const uint32_t need = pack.arena_size(m);
      if (need > (1u << 20)) {
        yono::AlignedBuffer arena(16);
        yono::Session session(pack, arena.data(), 16);
        EXPECT_EQ(session.select(m), Status::kArenaTooSmall);
        continue;
      }
      // Exactly `need` bytes (AlignedBuffer would round up to 16), so under
      // ASan a kernel writing even one float past the arena is reported.
      const size_t bytes = need == 0 ? 1 : need;
      auto* arena = static_cast<uint8_t*>(::operator new[](bytes, std::align_val_t{16}));
      std::memset(arena, 0, bytes);
      yono::Session session(pack, arena, need);
      if (session.select(m) == Status::kOk) {
        for (uint32_t i = 0; i < pack.input_count(m); ++i) {
          yono::TensorView v = session.input(i);
          for (uint32_t k = 0; k < v.element_count; ++k) v.data[k] = 0.5f;
        }
        // invoke() reports no errors (open validated everything); what this
        // checks is that it stays inside the pack and the arena, which the
        // sanitizers see.
        (void)session.invoke();
        // Reading the outputs must also stay inside the arena.
        for (uint32_t o = 0; o < pack.output_count(m); ++o) {
          yono::TensorView v = session.output(o);
          volatile float sink = 0.0f;
          for (uint32_t k = 0; k < v.element_count; ++k) sink = sink + v.data[k];
        }
      }
      ::operator delete[](arena, std::align_val_t{16});
    }
  }
  std::free(data);
  return s;
}

// Recomputes every section CRC and the header CRC, so a mutation reaches
// the structural checks.
void fix_crcs(std::vector<uint8_t>& b) {
  yono::test::PackBytes p(std::move(b));
  p.fix_crcs();
  b = std::move(p.bytes());
}

TEST(PackCorruption, SampleOpensCleanly) {
  EXPECT_EQ(open_and_run(sample_pack(), sample_pack().size()), Status::kOk);
  EXPECT_EQ(open_and_run(v2_sample_pack(), v2_sample_pack().size()), Status::kOk);
}

void check_byte_flips(std::vector<uint8_t> b) {
  size_t accepted = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    const uint8_t orig = b[i];
    for (uint8_t flipped : {static_cast<uint8_t>(orig ^ 0xFF), static_cast<uint8_t>(orig + 1)}) {
      b[i] = flipped;
      if (open_and_run(b, b.size()) == Status::kOk) ++accepted;
    }
    b[i] = orig;
  }
  // Only padding between sections is outside every checksum.
  EXPECT_LT(accepted, b.size() / 4);
}

TEST(PackCorruption, EveryByteFlipIsRejectedOrHarmless) {
  check_byte_flips(sample_pack());
}

TEST(PackCorruption, EveryByteFlipOfV2IsRejectedOrHarmless) {
  check_byte_flips(v2_sample_pack());
}

void check_truncations(const std::vector<uint8_t>& b) {
  for (size_t len = 0; len < b.size(); ++len) {
    const Status s = open_and_run(b, len);
    EXPECT_NE(s, Status::kOk) << "length " << len;
  }
}

TEST(PackCorruption, EveryTruncationIsRejected) {
  check_truncations(sample_pack());
  check_truncations(v2_sample_pack());
}

// Offsets and counts of the record arrays, read from the section table.
struct Layout {
  size_t sections = 0;
  size_t models = 0, tensors = 0, ops = 0, op_io = 0, params = 0, codebooks = 0, blocks = 0;
  size_t weights = 0;
  size_t models_size = 0, tensors_size = 0, ops_size = 0, op_io_size = 0, params_size = 0;
  size_t codebooks_size = 0, blocks_size = 0;
};

Layout layout_of(const std::vector<uint8_t>& b) {
  yono::PackHeader h;
  std::memcpy(&h, b.data(), sizeof(h));
  Layout l;
  l.sections = h.section_count;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    yono::SectionEntry e;
    std::memcpy(&e, b.data() + sizeof(h) + i * sizeof(e), sizeof(e));
    switch (static_cast<yono::SectionType>(e.type)) {
      case yono::SectionType::kModels: l.models = e.offset, l.models_size = e.size; break;
      case yono::SectionType::kTensors: l.tensors = e.offset, l.tensors_size = e.size; break;
      case yono::SectionType::kOps: l.ops = e.offset, l.ops_size = e.size; break;
      case yono::SectionType::kOpIo: l.op_io = e.offset, l.op_io_size = e.size; break;
      case yono::SectionType::kParams: l.params = e.offset, l.params_size = e.size; break;
      case yono::SectionType::kCodebooks: l.codebooks = e.offset, l.codebooks_size = e.size; break;
      case yono::SectionType::kCodeBlocks: l.blocks = e.offset, l.blocks_size = e.size; break;
      case yono::SectionType::kWeights: l.weights = e.offset; break;
      default: break;
    }
  }
  return l;
}

// Sets the u32 at `at` to hostile values (and the sub-fields of packed
// bytes), recomputes the CRCs, and opens + runs the result.
void mutate_word(std::vector<uint8_t>& b, size_t at, size_t* accepted, size_t* total) {
  uint32_t orig;
  std::memcpy(&orig, b.data() + at, 4);
  const uint32_t values[] = {0u,
                             1u,
                             2u,
                             3u,
                             4u,
                             16u,
                             0xFFFFu,
                             0x10000u,
                             0x7FFFFFFFu,
                             0x80000000u,
                             0xFFFFFFFFu,
                             0xFFFFFFF0u,
                             orig + 1u,
                             orig - 1u,
                             orig * 2u,
                             orig + 16u,
                             orig - 16u,
                             orig ^ 0xFFu,
                             orig + 0x100u,
                             static_cast<uint32_t>(b.size())};
  for (uint32_t v : values) {
    if (v == orig) continue;
    std::vector<uint8_t> m = b;
    std::memcpy(m.data() + at, &v, 4);
    fix_crcs(m);
    ++*total;
    if (open_and_run(m, m.size()) == Status::kOk) ++*accepted;
  }
}

void check_mutations(std::vector<uint8_t> b, size_t* accepted, size_t* total) {
  const Layout l = layout_of(b);
  auto mutate_range = [&](size_t offset, size_t size) {
    for (size_t at = offset; at + 4 <= offset + size; at += 4) mutate_word(b, at, accepted, total);
  };
  mutate_range(0, sizeof(yono::PackHeader) + l.sections * sizeof(yono::SectionEntry));
  mutate_range(l.models, l.models_size);
  mutate_range(l.tensors, l.tensors_size);
  mutate_range(l.ops, l.ops_size);
  mutate_range(l.op_io, l.op_io_size);
  mutate_range(l.params, l.params_size);
  mutate_range(l.codebooks, l.codebooks_size);
  mutate_range(l.blocks, l.blocks_size);
}

TEST(PackCorruption, ValidatorRejectsOrSurvivesMutatedRecords) {
  size_t accepted = 0, total = 0;
  check_mutations(sample_pack(), &accepted, &total);
  // Plenty of mutations must be caught by the validator itself (the CRCs
  // were recomputed); accepted ones merely had to run in bounds.
  EXPECT_GT(total, 1000u);
  EXPECT_LT(accepted, total / 2);
  RecordProperty("mutations", static_cast<int>(total));
  RecordProperty("accepted", static_cast<int>(accepted));
}

TEST(PackCorruption, ValidatorRejectsOrSurvivesMutatedV2Records) {
  size_t accepted = 0, total = 0;
  check_mutations(v2_sample_pack(), &accepted, &total);
  EXPECT_GT(total, 1000u);
  EXPECT_LT(accepted, total / 2);
  RecordProperty("mutations", static_cast<int>(total));
  RecordProperty("accepted", static_cast<int>(accepted));
}

// A code >= K hidden in the payload (CRCs fixed up) must be caught at open,
// because kernels index the codebook with codes unchecked.
TEST(PackCorruption, PlantedCodeAboveKIsRejected) {
  const std::vector<uint8_t>& good = v2_sample_pack();
  const Layout l = layout_of(good);
  yono::CodebookRecord cb;
  std::memcpy(&cb, good.data() + l.codebooks, sizeof(cb));
  ASSERT_EQ(cb.codeword_count, 20u);
  yono::CodeBlockRecord blk;
  std::memcpy(&blk, good.data() + l.blocks, sizeof(blk));  // the dense layer's, codebook 0
  ASSERT_EQ(blk.codebook, 0u);
  ASSERT_EQ(blk.code_bits, 5u);
  const uint32_t n = blk.rows * blk.subvectors_per_row;
  for (uint32_t index : {0u, n / 2, n - 1}) {
    for (uint32_t code : {20u, 31u}) {
      std::vector<uint8_t> b = good;
      uint8_t* codes = b.data() + l.weights + blk.data_offset;
      for (uint32_t i = 0; i < 5; ++i) {
        const uint32_t bit = index * 5 + i;
        const uint8_t mask = static_cast<uint8_t>(1u << (bit % 8));
        codes[bit / 8] = static_cast<uint8_t>(((code >> i) & 1u) ? codes[bit / 8] | mask
                                                                 : codes[bit / 8] & ~mask);
      }
      fix_crcs(b);
      EXPECT_EQ(open_and_run(b, b.size()), Status::kBadTensor) << index << " " << code;
    }
  }
}

// An op reading an activation that neither the caller nor an earlier op
// wrote would compute with stale arena bytes: the reader must refuse it.
// Here the model's input list is repointed to its output, so the tensor the
// first op reads is no longer written by anyone (sizes stay consistent, so
// only the dataflow rule can catch it).
TEST(PackCorruption, ReadBeforeWriteIsRejected) {
  const std::vector<uint8_t>& good = sample_pack();
  const Layout l = layout_of(good);
  yono::ModelRecord m;
  std::memcpy(&m, good.data() + l.models, sizeof(m));
  ASSERT_EQ(m.input_count, 1u);
  uint32_t output = 0;
  std::memcpy(&output, good.data() + l.op_io + (m.io_first + m.input_count) * 4, 4);
  std::vector<uint8_t> b = good;
  std::memcpy(b.data() + l.op_io + m.io_first * 4, &output, 4);
  fix_crcs(b);
  EXPECT_EQ(open_and_run(b, b.size()), Status::kBadOp);
}

TEST(PackCorruption, ChecksumMismatchIsReported) {
  std::vector<uint8_t> b = sample_pack();
  b[b.size() - 1] ^= 0x01;  // last weight byte
  EXPECT_EQ(open_and_run(b, b.size()), Status::kBadChecksum);
  b = sample_pack();
  b[0] ^= 0x01;
  EXPECT_EQ(open_and_run(b, b.size()), Status::kBadMagic);
}

// Pack::open names the record it refused, so tools can say more than the
// status: the section entry, or the tensor or op of which model.
TEST(PackCorruption, FaultNamesTheRefusedRecord) {
  auto open_with_fault = [](const std::vector<uint8_t>& b, yono::PackFault* fault) {
    const yono::AlignedBuffer buf(b);
    yono::Pack pack;
    return yono::Pack::open(buf.data(), buf.size(), &pack, fault);
  };
  const std::vector<uint8_t> good = sample_pack();
  const Layout l = layout_of(good);
  yono::PackFault fault;
  EXPECT_EQ(open_with_fault(good, &fault), Status::kOk);
  EXPECT_EQ(fault.part, yono::PackPart::kNone);

  // Model 1's record says where its tensors and ops start.
  yono::ModelRecord m1;
  std::memcpy(&m1, good.data() + l.models + sizeof(m1), sizeof(m1));

  std::vector<uint8_t> b = good;
  const size_t tensor = l.tensors + (m1.first_tensor + 2) * sizeof(yono::TensorRecord);
  b[tensor + offsetof(yono::TensorRecord, kind)] = 7;  // neither activation nor constant
  fix_crcs(b);
  EXPECT_EQ(open_with_fault(b, &fault), Status::kBadTensor);
  EXPECT_EQ(fault.part, yono::PackPart::kTensor);
  EXPECT_EQ(fault.model, 1u);
  EXPECT_EQ(fault.index, 2u);

  b = good;
  const size_t op = l.ops + (m1.first_op + 1) * sizeof(yono::OpRecord);
  b[op + offsetof(yono::OpRecord, input_count)] = 0;
  fix_crcs(b);
  EXPECT_EQ(open_with_fault(b, &fault), Status::kBadOp);
  EXPECT_EQ(fault.part, yono::PackPart::kOp);
  EXPECT_EQ(fault.model, 1u);
  EXPECT_EQ(fault.index, 1u);

  b = good;
  const size_t entry = sizeof(yono::PackHeader) + 3 * sizeof(yono::SectionEntry);
  b[entry + offsetof(yono::SectionEntry, type)] = 0;  // type 0 is invalid
  b[entry + offsetof(yono::SectionEntry, type) + 1] = 0;
  fix_crcs(b);
  EXPECT_EQ(open_with_fault(b, &fault), Status::kBadSection);
  EXPECT_EQ(fault.part, yono::PackPart::kSectionTable);
  EXPECT_EQ(fault.index, 3u);

  b = good;
  b[offsetof(yono::PackHeader, version)] = 99;
  EXPECT_EQ(open_with_fault(b, &fault), Status::kUnsupportedVersion);
  EXPECT_EQ(fault.part, yono::PackPart::kHeader);
}

}  // namespace
