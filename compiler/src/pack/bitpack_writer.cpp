#include "yono/compiler/pack/bitpack_writer.h"

#include <fmt/format.h>

#include "yono/bitpack.h"
#include "yono/compiler/error.h"

namespace yono {

std::vector<uint8_t> bitpack_codes(const std::vector<uint32_t>& codes, uint32_t bits) {
  if (bits < 1 || bits > kMaxCodeBits) {
    throw Error(fmt::format("bit-packing codes: width {} is outside 1..{}", bits, kMaxCodeBits));
  }
  if (codes.size() > UINT32_MAX) {
    throw Error(
        fmt::format("bit-packing codes: {} codes exceed the u32 index range", codes.size()));
  }
  std::vector<uint8_t> out(bitpack_bytes(bits, static_cast<uint32_t>(codes.size())), 0);
  uint64_t bit = 0;
  for (size_t i = 0; i < codes.size(); ++i, bit += bits) {
    const uint32_t code = codes[i];
    if ((code >> bits) != 0) {
      throw Error(fmt::format("bit-packing codes: code {} at index {} does not fit in {} bits",
                              code, i, bits));
    }
    // A code touches at most three bytes; OR them in one at a time.
    uint32_t value = code << (bit & 7u);
    for (size_t byte = bit >> 3; value != 0; ++byte, value >>= 8) {
      out[byte] |= static_cast<uint8_t>(value & 0xFFu);
    }
  }
  return out;
}

}  // namespace yono
