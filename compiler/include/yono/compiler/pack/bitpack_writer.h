// Host side of the bit-packed code arrays read by runtime/include/yono/bitpack.h.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/bitpack.h"  // the layout written here and its code widths

namespace yono {

// Packs codes LSB-first at `bits` (1..16) bits each into exactly
// bitpack_bytes(bits, codes.size()) bytes. Throws yono::Error on a bad width
// or a code that does not fit, since truncating it would silently pick
// another codeword.
std::vector<uint8_t> bitpack_codes(const std::vector<uint32_t>& codes, uint32_t bits);

}  // namespace yono
