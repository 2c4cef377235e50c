// A pack's bytes with its records found by what they are, for tests that
// break one validation rule at a time (docs/pack-format.md): edit a record,
// recompute every CRC so only the rule under test can refuse the result,
// and open an exact-size copy, getting the status and the record
// Pack::open names (PackFault).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <vector>

#include "yono/crc32.h"
#include "yono/format.h"
#include "yono/pack.h"
#include "yono/status.h"

namespace yono {

inline bool operator==(const PackFault& a, const PackFault& b) {
  return a.part == b.part && a.segment == b.segment && a.model == b.model && a.index == b.index;
}

inline std::ostream& operator<<(std::ostream& os, const PackFault& f) {
  return os << "{part " << static_cast<int>(f.part) << ", segment " << f.segment << ", model "
            << f.model << ", index " << f.index << "}";
}

}  // namespace yono

namespace yono::test {

// What Pack::open said about a pack.
struct OpenResult {
  Status status = Status::kOk;
  PackFault fault;
};

// Passes when `r` is exactly that status, blamed on exactly that record.
inline ::testing::AssertionResult refused_as(const OpenResult& r, Status status,
                                             const PackFault& fault) {
  if (r.status == status && r.fault == fault) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "Pack::open gave " << status_string(r.status) << " at " << r.fault << ", expected "
         << status_string(status) << " at " << fault;
}

// Opens an exact-size malloc copy (4-aligned; ASan sees a read one byte
// past `size`) of the first `size` bytes.
inline OpenResult open_exact(const std::vector<uint8_t>& bytes, size_t size) {
  uint8_t* data = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
  if (size != 0) std::memcpy(data, bytes.data(), size);
  OpenResult r;
  Pack pack;
  r.status = Pack::open(data, size, &pack, &r.fault);
  std::free(data);
  return r;
}

class PackBytes {
 public:
  explicit PackBytes(std::vector<uint8_t> bytes) : b_(std::move(bytes)) {}

  std::vector<uint8_t>& bytes() { return b_; }
  const std::vector<uint8_t>& bytes() const { return b_; }

  template <class R>
  R read(size_t at) const {
    R r;
    std::memcpy(&r, b_.data() + at, sizeof(R));
    return r;
  }
  template <class R>
  void write(size_t at, const R& r) {
    std::memcpy(b_.data() + at, &r, sizeof(R));
  }
  // Applies `f` to the record of type R at `at`.
  template <class R, class F>
  PackBytes& edit(size_t at, F&& f) {
    R r = read<R>(at);
    f(r);
    write(at, r);
    return *this;
  }

  PackHeader header() const { return read<PackHeader>(0); }
  size_t entry_at(uint32_t i) const {
    return section_table_offset(header()) + size_t{i} * sizeof(SectionEntry);
  }
  SectionEntry entry(uint32_t i) const { return read<SectionEntry>(entry_at(i)); }

  // Table index of the k-th section of `type` (per-segment types: segment k).
  uint32_t entry_index(SectionType type, uint32_t k = 0) const {
    for (uint32_t i = 0; i < header().section_count; ++i) {
      if (entry(i).type == static_cast<uint32_t>(type) && k-- == 0) return i;
    }
    ADD_FAILURE() << "no section of type " << static_cast<int>(type);
    return 0;
  }
  size_t section_at(SectionType type, uint32_t k = 0) const {
    return entry(entry_index(type, k)).offset;
  }

  ModelRecord model(uint32_t m) const { return read<ModelRecord>(model_at(m)); }
  size_t model_at(uint32_t m) const {
    return section_at(SectionType::kModels) + size_t{m} * sizeof(ModelRecord);
  }
  // Tensor `i` and op `j` of model `m` (model-local indices).
  size_t tensor_at(uint32_t m, uint32_t i) const {
    const ModelRecord r = model(m);
    return section_at(SectionType::kTensors, r.segment) +
           size_t{r.first_tensor + i} * sizeof(TensorRecord);
  }
  TensorRecord tensor(uint32_t m, uint32_t i) const { return read<TensorRecord>(tensor_at(m, i)); }
  size_t op_at(uint32_t m, uint32_t j) const {
    const ModelRecord r = model(m);
    return section_at(SectionType::kOps, r.segment) + size_t{r.first_op + j} * sizeof(OpRecord);
  }
  OpRecord op(uint32_t m, uint32_t j) const { return read<OpRecord>(op_at(m, j)); }
  // Slot `index` of the OpIo section of model m's segment.
  size_t op_io_at(uint32_t m, uint32_t index) const {
    return section_at(SectionType::kOpIo, model(m).segment) + size_t{index} * 4;
  }
  // The model-local tensor index in slot `k` of op j (inputs, then output).
  uint32_t op_tensor(uint32_t m, uint32_t j, uint32_t k) const {
    return read<uint32_t>(op_io_at(m, op(m, j).io_first + k));
  }
  size_t params_at(uint32_t m, uint32_t j) const {
    return section_at(SectionType::kParams, model(m).segment) + op(m, j).param_offset;
  }
  // Index within model m of its n-th op of `type`.
  uint32_t find_op(uint32_t m, OpType type, uint32_t n = 0) const {
    for (uint32_t j = 0; j < model(m).op_count; ++j) {
      if (op(m, j).type == static_cast<uint16_t>(type) && n-- == 0) return j;
    }
    ADD_FAILURE() << "model " << m << " has no op of type " << static_cast<int>(type);
    return 0;
  }
  size_t codebook_at(uint32_t i) const {
    return section_at(SectionType::kCodebooks) + size_t{i} * sizeof(CodebookRecord);
  }
  size_t code_block_at(uint32_t i, uint32_t segment = 0) const {
    return section_at(SectionType::kCodeBlocks, segment) + size_t{i} * sizeof(CodeBlockRecord);
  }
  size_t weights_at(uint32_t segment = 0) const {
    return section_at(SectionType::kWeights, segment);
  }

  // Appends `extra` to the end of the k-th section of `type`, moving every
  // later byte (sections, a v3 table) by `extra` rounded up to 16 so
  // alignments hold. Returns the offset of `extra` within the section.
  uint32_t append_to_section(SectionType type, const std::vector<uint8_t>& extra, uint32_t k = 0) {
    const uint32_t i = entry_index(type, k);
    const SectionEntry grown = entry(i);
    const uint32_t end = grown.offset + grown.size;
    const uint32_t shift = static_cast<uint32_t>((extra.size() + 15) / 16 * 16);
    PackHeader h = header();
    const uint32_t count = h.section_count;
    std::vector<SectionEntry> entries(count);
    for (uint32_t e = 0; e < count; ++e) entries[e] = entry(e);
    std::vector<uint8_t> gap(shift, 0);
    std::copy(extra.begin(), extra.end(), gap.begin());
    b_.insert(b_.begin() + end, gap.begin(), gap.end());
    h.file_size += shift;
    if (h.table_offset >= end && h.table_offset != 0) h.table_offset += shift;
    write(0, h);
    for (uint32_t e = 0; e < count; ++e) {
      if (e == i)
        entries[e].size += static_cast<uint32_t>(extra.size());
      else if (entries[e].offset >= end)
        entries[e].offset += shift;
      write(entry_at(e), entries[e]);
    }
    return grown.size;
  }

  // Recomputes every section CRC and then the header CRC. A section_count
  // or entry pointing past the bytes (a mutation may do that) is clamped
  // or left as it is.
  void fix_crcs() {
    PackHeader h = header();
    const size_t table = section_table_offset(h);
    const size_t fits = table < b_.size() ? (b_.size() - table) / sizeof(SectionEntry) : 0;
    const size_t count = std::min<size_t>(h.section_count, fits);
    for (uint32_t i = 0; i < count; ++i) {
      SectionEntry e = entry(i);
      if (uint64_t{e.offset} + e.size <= b_.size()) {
        e.crc32 = crc32(b_.data() + e.offset, e.size);
        write(entry_at(i), e);
      }
    }
    h.header_crc = 0;
    write(0, h);
    uint32_t crc = crc32(b_.data(), sizeof(PackHeader));
    crc = crc32(b_.data() + table, count * sizeof(SectionEntry), crc);
    h.header_crc = crc;
    write(0, h);
  }

  OpenResult open() const { return open_exact(b_, b_.size()); }
  OpenResult fixed_open() {
    fix_crcs();
    return open();
  }

 private:
  std::vector<uint8_t> b_;
};

}  // namespace yono::test
