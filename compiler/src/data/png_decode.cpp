#include <png.h>

#include <cstring>

#include "image_decode.h"
#include "yono/compiler/error.h"

namespace yono::data {

ImageShape probe_png(const std::string& path, const uint8_t* data, size_t size) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, data, size) == 0) {
    throw Error(path + ": corrupt PNG (" + image.message + ")");
  }
  const ImageShape found{static_cast<int>(image.height), static_cast<int>(image.width),
                         (image.format & PNG_FORMAT_FLAG_COLOR) != 0 ? 3 : 1};
  png_image_free(&image);
  return found;
}

void decode_png(const std::string& path, const uint8_t* data, size_t size, ImageShape expected,
                uint8_t* out) {
  // libpng's simplified API does its own setjmp and reports through image.message.
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, data, size) == 0) {
    throw Error(path + ": corrupt PNG (" + image.message + ")");
  }
  const ImageShape found{static_cast<int>(image.height), static_cast<int>(image.width),
                         (image.format & PNG_FORMAT_FLAG_COLOR) != 0 ? 3 : 1};
  if (found.height != expected.height || found.width != expected.width) {
    png_image_free(&image);
    throw Error(path + ": image is " + describe(found) + ", expected " + describe(expected));
  }
  // libpng converts grey/colour to the requested channel count and removes alpha.
  image.format = expected.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  if (png_image_finish_read(&image, nullptr, out, 0, nullptr) == 0) {
    const std::string why = image.message;
    png_image_free(&image);
    throw Error(path + ": corrupt PNG (" + why + ")");
  }
}

}  // namespace yono::data
