// Which codec a file needs, decided by its first bytes.
#include "image_decode.h"

#include <cstdio>

#include "yono/compiler/error.h"

namespace yono::data {
namespace {

enum class Codec { kJpeg, kPng };

Codec codec_of(const std::string& path, const std::vector<uint8_t>& bytes) {
  if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8) return Codec::kJpeg;
  if (bytes.size() >= 8 && bytes[0] == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' &&
      bytes[3] == 'G')
    return Codec::kPng;
  throw Error(path + ": neither JPEG nor PNG data");
}

}  // namespace

std::string describe(ImageShape shape) {
  return std::to_string(shape.height) + "x" + std::to_string(shape.width) + "x" +
         std::to_string(shape.channels);
}

std::vector<uint8_t> read_image_bytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw Error(path + ": cannot open");
  std::vector<uint8_t> bytes;
  uint8_t chunk[16384];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0)
    bytes.insert(bytes.end(), chunk, chunk + got);
  std::fclose(f);
  return bytes;
}

void decode_image(const std::string& path, const std::vector<uint8_t>& bytes, ImageShape expected,
                  uint8_t* out) {
  if (codec_of(path, bytes) == Codec::kJpeg) {
    decode_jpeg(path, bytes.data(), bytes.size(), expected, out);
  } else {
    decode_png(path, bytes.data(), bytes.size(), expected, out);
  }
}

ImageShape probe_image(const std::string& path, const std::vector<uint8_t>& bytes) {
  const ImageShape shape = codec_of(path, bytes) == Codec::kJpeg
                               ? probe_jpeg(path, bytes.data(), bytes.size())
                               : probe_png(path, bytes.data(), bytes.size());
  // A few header bytes can claim 60000 x 60000 pixels, and the readers size
  // their buffers from the probe before decoding (10 GB and more); refuse
  // instead. 2^25 pixels (e.g. 8192 x 4096) is far above any image a
  // microcontroller model trains on.
  constexpr int64_t kMaxPixels = int64_t{1} << 25;
  if (int64_t{shape.height} * shape.width > kMaxPixels)
    throw Error(path + ": image is " + std::to_string(shape.height) + "x" +
                std::to_string(shape.width) + ", more than 2^25 pixels; scale it down first");
  return shape;
}

}  // namespace yono::data
