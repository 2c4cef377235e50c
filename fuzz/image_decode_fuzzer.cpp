// Fuzz target: image decoding (compiler/src/data/image_decode.cpp,
// png_decode.cpp with libpng's simplified API, jpeg_decode.cpp with libjpeg
// and its setjmp error path): probe_image on the bytes, then decode_image
// at the probed size as grey and as RGB (the image folder reader's two
// uses), a decode at a wrong size (which must be refused), and
// resize_plane of the decoded pixels, as --resize does.
// Seeds: fuzz/corpus/image_decode (small grey/RGB PNG and JPEG files).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "image_decode.h"
#include "yono/compiler/data/image_resize.h"

namespace {

// Decoding allocates height x width x channels bytes up front; a header may
// claim 10^6 x 10^6 pixels in a few bytes, which is the readers' business
// (a real folder read caps nothing here either) but only slows the fuzzer.
constexpr uint64_t kMaxPixels = uint64_t{1} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  const std::string name = "fuzz-image";
  yono::fuzz::expect_only_yono_errors("probe_image/decode_image", [&] {
    const yono::data::ImageShape shape = yono::data::probe_image(name, bytes);
    if (shape.height <= 0 || shape.width <= 0) return;
    const uint64_t pixels =
        static_cast<uint64_t>(shape.height) * static_cast<uint64_t>(shape.width);
    if (pixels > kMaxPixels) return;
    for (const int channels : {1, 3}) {
      std::vector<uint8_t> out(pixels * static_cast<uint64_t>(channels));
      yono::fuzz::expect_only_yono_errors("decode_image", [&] {
        yono::data::decode_image(name, bytes, {shape.height, shape.width, channels}, out.data());
        std::vector<float> plane(pixels), resized(5 * 7);
        for (uint64_t p = 0; p < pixels; ++p) plane[p] = out[p * channels] / 255.0f;
        yono::data::resize_plane(plane.data(), shape.height, shape.width, resized.data(), 5, 7);
      });
    }
    // One row short, into a buffer of exactly that size: must be refused,
    // never written past.
    if (shape.height > 1) {
      std::vector<uint8_t> small((pixels - static_cast<uint64_t>(shape.width)) * 3);
      yono::fuzz::expect_only_yono_errors("decode_image at a wrong size", [&] {
        yono::data::decode_image(name, bytes, {shape.height - 1, shape.width, 3}, small.data());
        yono::fuzz::report_bug("decode_image", "decoded at a size the file does not have");
      });
    }
  });
  return 0;
}
