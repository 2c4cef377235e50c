#include <csetjmp>
#include <cstdio>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "image_decode.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace {

// libjpeg reports errors by calling error_exit, which by default exits the
// process; we jump back instead. Unwinding a C++ exception through the C
// library would be undefined, hence setjmp/longjmp and no C++ objects with
// destructors inside decode_or_explain.
struct JumpingErrorManager {
  jpeg_error_mgr base;
  jmp_buf back;
  char message[JMSG_LENGTH_MAX];
};

void jump_on_error(j_common_ptr info) {
  auto* manager = reinterpret_cast<JumpingErrorManager*>(info->err);
  manager->base.format_message(info, manager->message);
  longjmp(manager->back, 1);
}

// A truncated file only raises a warning (libjpeg pads it with grey); for
// training data a silently grey image is worse than an error.
void jump_on_warning(j_common_ptr info, int level) {
  if (level < 0) jump_on_error(info);
}

// Returns true on success; otherwise fills message (and found, when the size
// was the problem).
bool decode_or_explain(const uint8_t* data, size_t size, ImageShape expected, uint8_t* out,
                       ImageShape* found, char* message, size_t message_size) {
  jpeg_decompress_struct info;
  JumpingErrorManager errors;
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = jump_on_error;
  errors.base.emit_message = jump_on_warning;
  errors.message[0] = '\0';
  if (setjmp(errors.back) != 0) {
    std::snprintf(message, message_size, "corrupt JPEG (%s)", errors.message);
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = expected.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  found->height = static_cast<int>(info.output_height);
  found->width = static_cast<int>(info.output_width);
  found->channels = info.output_components;
  if (found->height != expected.height || found->width != expected.width ||
      found->channels != expected.channels) {
    std::snprintf(message, message_size, "size mismatch");
    jpeg_destroy_decompress(&info);
    return false;
  }
  const size_t row_bytes = static_cast<size_t>(expected.width) * expected.channels;
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = out + info.output_scanline * row_bytes;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return true;
}

// Header only: the size and whether the file is grey. Same setjmp rules as above.
bool probe_or_explain(const uint8_t* data, size_t size, ImageShape* found, char* message,
                      size_t message_size) {
  jpeg_decompress_struct info;
  JumpingErrorManager errors;
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = jump_on_error;
  errors.base.emit_message = jump_on_warning;
  errors.message[0] = '\0';
  if (setjmp(errors.back) != 0) {
    std::snprintf(message, message_size, "corrupt JPEG (%s)", errors.message);
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&info, TRUE);
  found->height = static_cast<int>(info.image_height);
  found->width = static_cast<int>(info.image_width);
  found->channels = info.jpeg_color_space == JCS_GRAYSCALE ? 1 : 3;
  jpeg_destroy_decompress(&info);
  return true;
}

}  // namespace

ImageShape probe_jpeg(const std::string& path, const uint8_t* data, size_t size) {
  ImageShape found;
  char message[JMSG_LENGTH_MAX + 32];
  if (!probe_or_explain(data, size, &found, message, sizeof message))
    throw Error(path + ": " + message);
  return found;
}

void decode_jpeg(const std::string& path, const uint8_t* data, size_t size, ImageShape expected,
                 uint8_t* out) {
  ImageShape found;
  char message[JMSG_LENGTH_MAX + 32];
  if (decode_or_explain(data, size, expected, out, &found, message, sizeof message)) return;
  if (found.height != 0 && (found.height != expected.height || found.width != expected.width ||
                            found.channels != expected.channels)) {
    throw Error(path + ": image is " + describe(found) + ", expected " + describe(expected));
  }
  throw Error(path + ": " + message);
}

}  // namespace yono::data
