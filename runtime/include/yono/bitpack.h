// Bit-packed code arrays: the storage of product-quantization codes. Code i
// occupies bits [i * bits, (i + 1) * bits) of the buffer, counting from the
// least significant bit of byte 0 (LSB-first), so any width from 1 to 16 bits
// packs densely and a code never needs more than three bytes to read.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace yono {

constexpr uint32_t kMaxCodeBits = 16;  // codebooks of up to 65536 codewords

// Code width of a codebook with k codewords: the smallest that indexes them
// all, at least 1. The format requires exactly this width, so the writer and
// the validator both use this one. k is 2..65536 in a valid pack; a larger k
// gets kMaxCodeBits (callers reject such a k first).
constexpr uint32_t code_bits_for(uint32_t k) {
  uint32_t bits = 1;
  while (bits < kMaxCodeBits && (uint64_t{1} << bits) < k) ++bits;
  return bits;
}

// Bytes holding `count` codes of `bits` bits; the reader never touches more.
inline size_t bitpack_bytes(uint32_t bits, uint32_t count) {
  return static_cast<size_t>((static_cast<uint64_t>(bits) * count + 7u) / 8u);
}

// Code `index`. `bits` must be 1..kMaxCodeBits (0 is returned otherwise) and
// the buffer at least bitpack_bytes(bits, index + 1) long.
uint32_t bitpack_get(const uint8_t* data, uint32_t bits, uint32_t index);

// Codes [first, first + count) into out[0..count). Streams the bytes once, so
// it is the fast path for consecutive codes; reads only bytes that hold them.
void bitpack_unpack(const uint8_t* data, uint32_t bits, uint32_t first, uint32_t count,
                    uint16_t* out);

}  // namespace yono
