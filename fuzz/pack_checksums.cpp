#include "pack_checksums.h"

#include <cstring>

#include "yono/crc32.h"
#include "yono/format.h"

namespace yono::fuzz {

void fix_pack_checksums(uint8_t* data, size_t size) {
  if (size < sizeof(PackHeader)) return;
  PackHeader h;
  std::memcpy(&h, data, sizeof h);
  if (h.file_size > size) h.file_size = static_cast<uint32_t>(size);

  // At most the reader's section limit: beyond it the pack is refused anyway.
  const uint32_t count = h.section_count < kMaxSectionCount ? h.section_count : kMaxSectionCount;
  const uint64_t table_at = section_table_offset(h);
  const uint64_t table_end = table_at + uint64_t{count} * sizeof(SectionEntry);
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t entry_at = table_at + uint64_t{i} * sizeof(SectionEntry);
    if (entry_at + sizeof(SectionEntry) > size) break;
    SectionEntry s;
    std::memcpy(&s, data + entry_at, sizeof s);
    if (uint64_t{s.offset} + s.size > size) continue;
    s.crc32 = crc32(data + s.offset, s.size);
    std::memcpy(data + entry_at, &s, sizeof s);
  }

  // Header CRC last: it covers the table, whose section CRCs just changed.
  // Computed as the reader does (pack_validator.cpp): the header with the
  // CRC field as 0, then the table's bytes.
  h.header_crc = 0;
  std::memcpy(data, &h, sizeof h);
  if (table_end > size || h.section_count != count) return;
  uint32_t crc = crc32(data, sizeof h);
  crc = crc32(data + table_at, static_cast<size_t>(table_end - table_at), crc);
  h.header_crc = crc;
  std::memcpy(data, &h, sizeof h);
}

}  // namespace yono::fuzz
