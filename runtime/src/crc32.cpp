#include "yono/crc32.h"

namespace yono {
namespace {

// A 16-entry table processes a nibble per step: 64 bytes of flash instead of
// the 1 KiB byte table, at about half the byte-table speed. Packs are checked
// once at open, so the size matters more than the speed.
struct NibbleTable {
  uint32_t v[16];
};

constexpr NibbleTable make_table() {
  NibbleTable t{};
  for (uint32_t i = 0; i < 16; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 4; ++bit) c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    t.v[i] = c;
  }
  return t;
}

constexpr NibbleTable kTable = make_table();

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t seed) {
  uint32_t c = ~seed;
  for (size_t i = 0; i < size; ++i) {
    c ^= data[i];
    c = (c >> 4) ^ kTable.v[c & 15u];
    c = (c >> 4) ^ kTable.v[c & 15u];
  }
  return ~c;
}

}  // namespace yono
