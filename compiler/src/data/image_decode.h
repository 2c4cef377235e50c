// Decoding one image file of a known, fixed size into interleaved bytes.
// Private to the image folder reader; the codec libraries stay out of public headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace yono::data {

struct ImageShape {
  int height = 0, width = 0, channels = 0;
};

// Decodes a JPEG held in memory into out (height * width * channels bytes, HWC).
// Grey and colour are converted to the requested channel count (1 or 3).
// Throws yono::Error naming `path` on corrupt data or a different size.
void decode_jpeg(const std::string& path, const uint8_t* data, size_t size, ImageShape expected,
                 uint8_t* out);

// Same contract for PNG.
void decode_png(const std::string& path, const uint8_t* data, size_t size, ImageShape expected,
                uint8_t* out);

std::string describe(ImageShape shape);

}  // namespace yono::data
