// Reads are byte-wise on purpose: the code buffer may end at any byte (packs
// store it unpadded) and may sit at any alignment, so a wider load could read
// past the end or fault on Cortex-M0-class cores.
#include "yono/bitpack.h"

namespace yono {

namespace {

bool valid_width(uint32_t bits) {
  return bits >= 1u && bits <= kMaxCodeBits;
}

}  // namespace

uint32_t bitpack_get(const uint8_t* data, uint32_t bits, uint32_t index) {
  if (!valid_width(bits)) return 0;
  const uint64_t bit = static_cast<uint64_t>(index) * bits;
  const uint8_t* p = data + static_cast<size_t>(bit >> 3u);
  const uint32_t shift = static_cast<uint32_t>(bit & 7u);
  // Only the bytes the code overlaps: shift + bits <= 23, so at most three.
  const uint32_t span = (shift + bits + 7u) >> 3u;
  uint32_t window = p[0];
  if (span > 1u) window |= static_cast<uint32_t>(p[1]) << 8u;
  if (span > 2u) window |= static_cast<uint32_t>(p[2]) << 16u;
  return (window >> shift) & ((1u << bits) - 1u);
}

void bitpack_unpack(const uint8_t* data, uint32_t bits, uint32_t first, uint32_t count,
                    uint16_t* out) {
  if (count == 0u) return;
  if (!valid_width(bits)) {
    for (uint32_t i = 0; i < count; ++i) out[i] = 0;
    return;
  }
  // Byte-aligned widths (K = 256 and K = 65536) need no bit arithmetic.
  if (bits == 8u) {
    const uint8_t* p = data + first;
    for (uint32_t i = 0; i < count; ++i) out[i] = p[i];
    return;
  }
  if (bits == 16u) {
    const uint8_t* p = data + static_cast<size_t>(first) * 2u;
    for (uint32_t i = 0; i < count; ++i) {
      out[i] = static_cast<uint16_t>(p[2u * i] | (static_cast<uint32_t>(p[2u * i + 1u]) << 8u));
    }
    return;
  }
  const uint64_t start = static_cast<uint64_t>(first) * bits;
  const uint64_t end = start + static_cast<uint64_t>(count) * bits;
  const uint8_t* p = data + static_cast<size_t>(start >> 3u);
  const uint8_t* last = data + static_cast<size_t>((end + 7u) >> 3u);  // one past the final byte
  const uint32_t mask = (1u << bits) - 1u;

  // `window` holds `have` not-yet-consumed bits, lowest first. It is topped up
  // to 57..64 bits at once, so the refill branch runs once per several codes.
  const uint32_t skip = static_cast<uint32_t>(start & 7u);
  uint64_t window = static_cast<uint64_t>(*p++) >> skip;
  uint32_t have = 8u - skip;
  for (uint32_t i = 0; i < count; ++i) {
    if (have < bits) {
      while (have <= 56u && p < last) {
        window |= static_cast<uint64_t>(*p++) << have;
        have += 8u;
      }
    }
    out[i] = static_cast<uint16_t>(window & mask);
    window >>= bits;
    have -= bits;
  }
}

}  // namespace yono
