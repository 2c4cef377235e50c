// Inputs the data folder fuzz target (fuzz/user_data_fuzzer.cpp) showed
// crashing a reader, rebuilt here; the crashing input itself is kept in
// fuzz/corpus/user_data/crash-*.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "data_test_support.h"
#include "test_jpeg.h"
#include "user_data_fixtures.h"
#include "yono/compiler/data/data_spec.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

void put_be32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

// A real PNG whose IHDR (and its CRC) is rewritten to claim h x w pixels.
void write_png_claiming(const std::string& path, uint32_t h, uint32_t w) {
  std::mt19937 rng(1);
  test::write_png_image(path, 4, 4, 3, test::band_pixels(0, 2, 4, 4, 3, rng));
  std::vector<uint8_t> bytes = test::read_bytes(path);
  // Signature (8), IHDR length (4), "IHDR" (4), width, height, ..., CRC at 29.
  put_be32(bytes, 16, w);
  put_be32(bytes, 20, h);
  put_be32(bytes, 29, static_cast<uint32_t>(crc32(0, bytes.data() + 12, 17)));
  test::write_bytes(path, bytes);
}

// A real 8x8 JPEG whose SOF0 header claims h x w pixels (JPEG has no checksum).
void write_jpeg_claiming(const std::string& path, uint16_t h, uint16_t w) {
  test::write_jpeg(path, 8, 8, 1, std::vector<uint8_t>(64, 128));
  std::vector<uint8_t> bytes = test::read_bytes(path);
  for (size_t i = 0; i + 9 <= bytes.size(); ++i) {
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xC0) {  // SOF0: length, precision, height, width
      bytes[i + 5] = static_cast<uint8_t>(h >> 8);
      bytes[i + 6] = static_cast<uint8_t>(h);
      bytes[i + 7] = static_cast<uint8_t>(w >> 8);
      bytes[i + 8] = static_cast<uint8_t>(w);
    }
  }
  test::write_bytes(path, bytes);
}

// Was: the image folder loader sized its buffers from the header before
// decoding: 60000 x 60000 x 3 bytes (10.8 GB, an out-of-memory abort under
// the fuzzer, std::bad_alloc or the OOM killer outside it) for a 700-byte
// file. Both the size probe of every file and --resize's per-file probe
// now refuse more than 2^25 pixels.
TEST(DataFuzzRegression, ImageHeaderClaimingTooManyPixelsIsRefused) {
  for (const bool resize : {false, true}) {
    for (const bool jpeg : {false, true}) {
      TempDir dir;
      test::make_image_folder(dir.path(), "", {"a", "b"}, 3, 4, 4, 1, 2);
      const std::string big = dir.file(jpeg ? "b/big.jpg" : "b/big.png");
      if (jpeg) {
        write_jpeg_claiming(big, 60000, 60000);
      } else {
        write_png_claiming(big, 1000000, 1000000);
      }
      DataSpec spec;
      spec.dir = dir.path();
      spec.options.threads = 1;
      if (resize) {
        spec.options.resize_height = spec.options.resize_width = 4;
        spec.options.channels = 1;  // so no probe of every file runs first
      }
      expect_error_naming(
          big, [&] { load_split(spec, 1); }, "more than 2^25 pixels");
    }
  }
}

}  // namespace
}  // namespace yono::data
