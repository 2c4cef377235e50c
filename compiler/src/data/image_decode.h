// Decoding one image file into interleaved bytes, and reading its size from
// the header alone. Private to the image readers; the codec libraries stay
// out of public headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// The size and the file's own channel count (1 grey, 3 colour) from the
// header, without decoding the pixels. Throws yono::Error naming `path`.
ImageShape probe_jpeg(const std::string& path, const uint8_t* data, size_t size);
ImageShape probe_png(const std::string& path, const uint8_t* data, size_t size);

// The whole file; throws yono::Error naming it when it cannot be read.
std::vector<uint8_t> read_image_bytes(const std::string& path);

// Dispatch on the file's signature, not its name (a .jpg that is really a PNG
// still decodes); neither signature is an error naming `path`.
void decode_image(const std::string& path, const std::vector<uint8_t>& bytes, ImageShape expected,
                  uint8_t* out);
ImageShape probe_image(const std::string& path, const std::vector<uint8_t>& bytes);

std::string describe(ImageShape shape);  // "HxWxC"

}  // namespace yono::data
