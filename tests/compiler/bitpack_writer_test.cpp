// The host packer and the runtime reader must agree bit for bit: round trips
// over random widths, lengths and offsets, plus the writer's rejections.
#include "yono/compiler/pack/bitpack_writer.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "yono/bitpack.h"
#include "yono/compiler/error.h"

namespace {

TEST(BitpackWriter, RoundTripsThroughRuntimeReader) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    const uint32_t bits = std::uniform_int_distribution<uint32_t>(1, 16)(rng);
    const size_t n = trial < 16 ? static_cast<size_t>(trial % 2)  // lengths 0 and 1 early
                                : std::uniform_int_distribution<size_t>(0, 500)(rng);
    std::uniform_int_distribution<uint32_t> code_dist(0, (1u << bits) - 1);
    std::vector<uint32_t> codes(n);
    for (auto& c : codes) c = code_dist(rng);

    const auto packed = yono::bitpack_codes(codes, bits);
    ASSERT_EQ(packed.size(), yono::bitpack_bytes(bits, static_cast<uint32_t>(n)));
    if (n == 0) continue;
    // Exact-size heap copy so ASan flags reads past the end.
    std::unique_ptr<uint8_t[]> exact(new uint8_t[packed.size()]);
    std::copy(packed.begin(), packed.end(), exact.get());

    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(yono::bitpack_get(exact.get(), bits, static_cast<uint32_t>(i)), codes[i]);
    }
    const uint32_t first =
        std::uniform_int_distribution<uint32_t>(0, static_cast<uint32_t>(n))(rng);
    const uint32_t count = static_cast<uint32_t>(n) - first;
    std::vector<uint16_t> out(count);
    yono::bitpack_unpack(exact.get(), bits, first, count, out.data());
    for (uint32_t i = 0; i < count; ++i) ASSERT_EQ(out[i], codes[first + i]);
  }
}

TEST(BitpackWriter, MaximalCodesFillEveryBit) {
  const std::vector<uint32_t> codes(8, 0x7u);
  const auto packed = yono::bitpack_codes(codes, 3);
  ASSERT_EQ(packed.size(), 3u);
  for (uint8_t b : packed) EXPECT_EQ(b, 0xFF);
}

TEST(BitpackWriter, RejectsCodesThatDoNotFit) {
  EXPECT_THROW(yono::bitpack_codes({0, 1, 2}, 1), yono::Error);
  EXPECT_THROW(yono::bitpack_codes({256}, 8), yono::Error);
  EXPECT_THROW(yono::bitpack_codes({65536}, 16), yono::Error);
  EXPECT_NO_THROW(yono::bitpack_codes({255}, 8));
  EXPECT_NO_THROW(yono::bitpack_codes({65535}, 16));
}

TEST(BitpackWriter, RejectsBadWidths) {
  EXPECT_THROW(yono::bitpack_codes({0}, 0), yono::Error);
  EXPECT_THROW(yono::bitpack_codes({0}, 17), yono::Error);
}

}  // namespace
