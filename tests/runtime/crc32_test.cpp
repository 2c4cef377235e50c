#include "yono/crc32.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

// Bitwise CRC straight from the definition, to check the nibble table.
uint32_t crc32_bitwise(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int b = 0; b < 8; ++b) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

TEST(Crc32, StandardCheckValue) {
  const char* s = "123456789";
  EXPECT_EQ(yono::crc32(reinterpret_cast<const uint8_t*>(s), strlen(s)), 0xCBF43926u);
  EXPECT_EQ(yono::crc32(nullptr, 0), 0u);
}

TEST(Crc32, MatchesBitwiseDefinitionAndChains) {
  std::vector<uint8_t> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7919u >> 3);
  for (size_t n : {1u, 2u, 15u, 16u, 333u, 1000u}) {
    const uint32_t whole = yono::crc32(data.data(), n);
    EXPECT_EQ(whole, crc32_bitwise(data.data(), n));
    for (size_t split : {size_t{0}, n / 3, n}) {
      EXPECT_EQ(yono::crc32(data.data() + split, n - split, yono::crc32(data.data(), split)),
                whole);
    }
  }
}

TEST(Crc32, DetectsEverySingleBitFlip) {
  std::vector<uint8_t> data(64, 0x5A);
  const uint32_t base = yono::crc32(data.data(), data.size());
  for (size_t i = 0; i < data.size() * 8; ++i) {
    data[i / 8] ^= static_cast<uint8_t>(1u << (i % 8));
    EXPECT_NE(yono::crc32(data.data(), data.size()), base);
    data[i / 8] ^= static_cast<uint8_t>(1u << (i % 8));
  }
}

}  // namespace
