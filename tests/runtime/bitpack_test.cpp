// Bit-packed code reader against a naive bit-by-bit packer written here, over
// random widths, lengths and offsets. Buffers are heap-allocated at exactly
// bitpack_bytes so ASan catches any read past the last code's byte.
#include "yono/bitpack.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

namespace {

// One bit at a time: obviously LSB-first, independent of the reader's tricks.
std::unique_ptr<uint8_t[]> naive_pack(const std::vector<uint32_t>& codes, uint32_t bits,
                                      size_t* size) {
  *size = static_cast<size_t>((static_cast<uint64_t>(codes.size()) * bits + 7) / 8);
  std::unique_ptr<uint8_t[]> buf(new uint8_t[*size == 0 ? 1 : *size]());
  uint64_t pos = 0;
  for (uint32_t code : codes) {
    for (uint32_t b = 0; b < bits; ++b, ++pos) {
      if ((code >> b) & 1u) buf[pos / 8] = static_cast<uint8_t>(buf[pos / 8] | (1u << (pos % 8)));
    }
  }
  return buf;
}

std::vector<uint32_t> random_codes(std::mt19937& rng, uint32_t bits, size_t n) {
  std::uniform_int_distribution<uint32_t> dist(0, (1u << bits) - 1);
  std::vector<uint32_t> codes(n);
  for (auto& c : codes) c = dist(rng);
  return codes;
}

TEST(Bitpack, ByteCountIsExact) {
  EXPECT_EQ(yono::bitpack_bytes(1, 0), 0u);
  EXPECT_EQ(yono::bitpack_bytes(1, 8), 1u);
  EXPECT_EQ(yono::bitpack_bytes(1, 9), 2u);
  EXPECT_EQ(yono::bitpack_bytes(3, 3), 2u);  // 9 bits
  EXPECT_EQ(yono::bitpack_bytes(12, 2), 3u);
  EXPECT_EQ(yono::bitpack_bytes(16, 5), 10u);
  // No 32-bit overflow for the largest index a layer can have.
  EXPECT_EQ(yono::bitpack_bytes(16, 0xFFFFFFFFu), size_t{0xFFFFFFFFu} * 2);
}

TEST(Bitpack, GetMatchesNaivePackerForEveryWidth) {
  std::mt19937 rng(7);
  for (uint32_t bits = 1; bits <= 16; ++bits) {
    for (size_t n :
         {size_t{1}, size_t{2}, size_t{7}, size_t{8}, size_t{9}, size_t{33}, size_t{1000}}) {
      const auto codes = random_codes(rng, bits, n);
      size_t size = 0;
      auto buf = naive_pack(codes, bits, &size);
      ASSERT_EQ(size, yono::bitpack_bytes(bits, static_cast<uint32_t>(n)));
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(yono::bitpack_get(buf.get(), bits, static_cast<uint32_t>(i)), codes[i])
            << "bits " << bits << " n " << n << " i " << i;
      }
    }
  }
}

TEST(Bitpack, UnpackRandomRangesMatches) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 400; ++trial) {
    const uint32_t bits = std::uniform_int_distribution<uint32_t>(1, 16)(rng);
    const size_t n = std::uniform_int_distribution<size_t>(0, 300)(rng);
    const auto codes = random_codes(rng, bits, n);
    size_t size = 0;
    auto buf = naive_pack(codes, bits, &size);
    const uint32_t first =
        std::uniform_int_distribution<uint32_t>(0, static_cast<uint32_t>(n))(rng);
    const uint32_t count =
        std::uniform_int_distribution<uint32_t>(0, static_cast<uint32_t>(n) - first)(rng);
    std::vector<uint16_t> out(count + 1, 0xABCD);
    yono::bitpack_unpack(buf.get(), bits, first, count, out.data());
    for (uint32_t i = 0; i < count; ++i) {
      ASSERT_EQ(out[i], codes[first + i]) << "bits " << bits << " first " << first << " i " << i;
    }
    EXPECT_EQ(out[count], 0xABCD) << "wrote past count";
  }
}

// The last code of a buffer whose size is exactly bitpack_bytes: any read past
// the end is a heap overflow under ASan (the buffer is allocated exact-size).
TEST(Bitpack, LastCodeOfExactBufferIsReadInBounds) {
  std::mt19937 rng(3);
  for (uint32_t bits = 1; bits <= 16; ++bits) {
    for (size_t n = 1; n <= 17; ++n) {
      const auto codes = random_codes(rng, bits, n);
      size_t size = 0;
      auto packed = naive_pack(codes, bits, &size);
      std::unique_ptr<uint8_t[]> exact(new uint8_t[size]);
      std::copy(packed.get(), packed.get() + size, exact.get());
      const uint32_t last = static_cast<uint32_t>(n - 1);
      EXPECT_EQ(yono::bitpack_get(exact.get(), bits, last), codes[last]);
      uint16_t out[17];
      yono::bitpack_unpack(exact.get(), bits, last, 1, out);
      EXPECT_EQ(out[0], codes[last]);
      yono::bitpack_unpack(exact.get(), bits, 0, static_cast<uint32_t>(n), out);
      for (size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], codes[i]);
    }
  }
}

TEST(Bitpack, InvalidWidthReadsAsZeroWithoutTouchingData) {
  uint16_t out[3] = {1, 2, 3};
  EXPECT_EQ(yono::bitpack_get(nullptr, 0, 5), 0u);
  EXPECT_EQ(yono::bitpack_get(nullptr, 17, 5), 0u);
  yono::bitpack_unpack(nullptr, 17, 0, 3, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[2], 0);
}

TEST(Bitpack, CodeBitsIndexEveryCodeword) {
  EXPECT_EQ(yono::code_bits_for(1), 1u);
  EXPECT_EQ(yono::code_bits_for(2), 1u);
  EXPECT_EQ(yono::code_bits_for(3), 2u);
  EXPECT_EQ(yono::code_bits_for(16), 4u);
  EXPECT_EQ(yono::code_bits_for(17), 5u);
  EXPECT_EQ(yono::code_bits_for(256), 8u);
  EXPECT_EQ(yono::code_bits_for(4096), 12u);
  EXPECT_EQ(yono::code_bits_for(65536), 16u);
  static_assert(yono::code_bits_for(65536) == yono::kMaxCodeBits, "K = 65536 is the largest");
}

}  // namespace
