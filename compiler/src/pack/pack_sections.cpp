#include "pack_sections.h"

#include <cstring>
#include <utility>

#include "yono/compiler/error.h"
#include "yono/crc32.h"
#include "yono/format.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "packs are written by copying structs as-is, which needs a little-endian host"
#endif

namespace yono::pack_sections {

uint32_t checked_u32(uint64_t v, const std::string& what) {
  if (v > 0xFFFFFFFFu) throw Error(what + " exceeds the 4 GiB limit of the pack format");
  return static_cast<uint32_t>(v);
}

void put_string(std::vector<uint8_t>& out, const std::string& s) {
  out.insert(out.end(), s.begin(), s.end());
  out.push_back(0);
}

std::vector<std::string> section_strings(const Pack& pack, SectionType type,
                                         const std::string& section) {
  std::vector<std::string> out;
  for (const SectionEntry& e : read_section_table(pack)) {
    if (e.type != static_cast<uint32_t>(type)) continue;
    const char* p = reinterpret_cast<const char*>(pack.data() + e.offset);
    const char* end = p + e.size;
    while (p < end) {
      const void* nul = std::memchr(p, 0, static_cast<size_t>(end - p));
      if (nul == nullptr) throw Error("the " + section + " section ends inside a string");
      out.emplace_back(p, static_cast<const char*>(nul));
      p = static_cast<const char*>(nul) + 1;
    }
  }
  return out;
}

std::vector<SectionEntry> read_section_table(const Pack& pack) {
  PackHeader h;
  std::memcpy(&h, pack.data(), sizeof(h));
  std::vector<SectionEntry> table(h.section_count);
  std::memcpy(table.data(), pack.data() + section_table_offset(h),
              table.size() * sizeof(SectionEntry));
  return table;
}

uint32_t StringTable::intern(const std::string& s) {
  auto it = offsets_.find(s);
  if (it != offsets_.end()) return it->second;
  const uint32_t at = checked_u32(bytes_.size(), "string table");
  bytes_.insert(bytes_.end(), s.begin(), s.end());
  bytes_.push_back(0);
  offsets_.emplace(s, at);
  return at;
}

std::vector<uint8_t> assemble(const Sections& s, bool v2, uint32_t model_count) {
  std::vector<std::pair<SectionType, const std::vector<uint8_t>*>> order = {
      {SectionType::kStrings, &s.strings.bytes()},
      {SectionType::kModels, &s.models},
      {SectionType::kTensors, &s.tensors},
      {SectionType::kOps, &s.ops},
      {SectionType::kOpIo, &s.op_io},
      {SectionType::kParams, &s.params},
  };
  if (v2) {
    order.push_back({SectionType::kCodebooks, &s.codebooks});
    order.push_back({SectionType::kCodeBlocks, &s.code_blocks});
  }
  // Only packs with class names carry Labels: others stay byte for byte as before.
  if (!s.labels.empty()) order.push_back({SectionType::kLabels, &s.labels});
  // Likewise only packs with a folded input layout carry InputLayouts.
  if (!s.input_layouts.empty()) order.push_back({SectionType::kInputLayouts, &s.input_layouts});
  // Weights last: the bulk, after every record a reader walks.
  order.push_back({SectionType::kWeights, &s.weights});
  const auto count = static_cast<uint32_t>(order.size());

  std::vector<uint8_t> out(sizeof(PackHeader) + count * sizeof(SectionEntry), 0);
  std::vector<SectionEntry> table;
  for (const auto& [type, bytes] : order) {
    pad_to(out, kSectionAlign);
    SectionEntry e{};
    e.type = static_cast<uint32_t>(type);
    e.offset = checked_u32(out.size(), "pack");
    e.size = checked_u32(bytes->size(), "section");
    e.crc32 = crc32(bytes->data(), bytes->size());
    out.insert(out.end(), bytes->begin(), bytes->end());
    table.push_back(e);
  }
  std::memcpy(out.data() + sizeof(PackHeader), table.data(), count * sizeof(SectionEntry));

  PackHeader h{};
  h.magic = kPackMagic;
  h.version = v2 ? kPackVersion : kPackVersionFloat;
  h.file_size = checked_u32(out.size(), "pack");
  h.section_count = count;
  h.model_count = model_count;
  std::memcpy(out.data(), &h, sizeof(h));
  h.header_crc = crc32(out.data(), sizeof(PackHeader) + count * sizeof(SectionEntry));
  std::memcpy(out.data(), &h, sizeof(h));
  return out;
}

}  // namespace yono::pack_sections
