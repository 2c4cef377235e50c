// The byte-level layout of a pack, shared by the pack writer (from IR) and
// by tools that rewrite an existing pack (bench::single_model_pack): the
// section buffers, the string table and the header + section table + CRCs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "yono/format.h"
#include "yono/pack.h"

namespace yono::pack_sections {

template <typename T>
void append(std::vector<uint8_t>& out, const T& v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

// Where the writer starts each Weights payload (values, codes, scales,
// codebook values). 4 is the strictest alignment a reader rule asks of a
// payload (f32 values and scales) and what word loads need on Cortex-M;
// 16 cost ~7 bytes of padding per payload, ~0.8 KB of the 78 KB zoo pack,
// for SIMD loads no kernel makes.
constexpr size_t kPayloadAlign = 4;

inline void pad_to(std::vector<uint8_t>& out, size_t align) {
  out.resize((out.size() + align - 1) / align * align, 0);
}

// Throws yono::Error naming `what` when v does not fit the format's u32.
uint32_t checked_u32(uint64_t v, const std::string& what);

class StringTable {
 public:
  uint32_t intern(const std::string& s);
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::map<std::string, uint32_t> offsets_;
  std::vector<uint8_t> bytes_;
};

struct Sections {
  StringTable strings;
  std::vector<uint8_t> models, tensors, ops, op_io, params, weights;
  std::vector<uint8_t> codebooks, code_blocks;  // v2 only
  std::vector<uint8_t> labels;                  // optional, host tools only
  std::vector<uint8_t> input_layouts;           // optional, host tools only
};

// The section table of a validated pack, wherever its header puts it.
std::vector<SectionEntry> read_section_table(const Pack& pack);

// The host tools' text sections (Labels, InputLayouts) are NUL-terminated
// strings. Appends `s` and its NUL.
void put_string(std::vector<uint8_t>& out, const std::string& s);

// Every string of every section of `type`, in order. Throws yono::Error
// naming `section` when one ends without its NUL.
std::vector<std::string> section_strings(const Pack& pack, SectionType type,
                                         const std::string& section);

// Header, section table and sections (each 16-byte aligned, CRC'd), v2 when
// `v2` (codebooks and code blocks present), else v1.
std::vector<uint8_t> assemble(const Sections& s, bool v2, uint32_t model_count);

}  // namespace yono::pack_sections
