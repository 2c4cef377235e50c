#include "yono/compiler/data/image_folder_reader.h"

#include <algorithm>
#include <exception>
#include <thread>

#include "image_decode.h"
#include "yono/compiler/data/image_resize.h"
#include "yono/compiler/error.h"

namespace yono::data {

const std::vector<std::string>& image_extensions() {
  static const std::vector<std::string> extensions = {".jpg", ".jpeg", ".png"};
  return extensions;
}

const char* image_extensions_text() {
  return ".jpg/.png";
}

namespace {

// HWC bytes -> CHW floats in [0, 1].
void to_planar(const uint8_t* hwc, size_t pixels, int channels, float* chw) {
  for (size_t p = 0; p < pixels; ++p) {
    for (int ch = 0; ch < channels; ++ch) {
      chw[static_cast<size_t>(ch) * pixels + p] = hwc[p * channels + ch] / 255.0f;
    }
  }
}

// One file into out ({channels, height, width} floats).
void read_one(const std::string& path, const ImageFolderOptions& o, float* out) {
  const std::vector<uint8_t> bytes = read_image_bytes(path);
  if (!o.resize) {
    std::vector<uint8_t> hwc(static_cast<size_t>(o.height) * o.width * o.channels);
    decode_image(path, bytes, {o.height, o.width, o.channels}, hwc.data());
    to_planar(hwc.data(), static_cast<size_t>(o.height) * o.width, o.channels, out);
    return;
  }
  ImageShape native = probe_image(path, bytes);
  native.channels = o.channels;
  const size_t pixels = static_cast<size_t>(native.height) * native.width;
  std::vector<uint8_t> hwc(pixels * native.channels);
  decode_image(path, bytes, native, hwc.data());
  std::vector<float> chw(hwc.size());
  to_planar(hwc.data(), pixels, native.channels, chw.data());
  const size_t out_pixels = static_cast<size_t>(o.height) * o.width;
  for (int ch = 0; ch < o.channels; ++ch)
    resize_plane(chw.data() + ch * pixels, native.height, native.width, out + ch * out_pixels,
                 o.height, o.width);
}

}  // namespace

Dataset read_image_folder(const std::string& dir, const ImageFolderOptions& options) {
  const std::vector<std::string> classes = class_folder_names(dir);
  if (classes.empty()) throw Error(dir + ": no class folders");
  return read_image_files(
      list_class_files(dir, classes, image_extensions(), image_extensions_text()), options);
}

Dataset read_image_files(const ClassFiles& files, const ImageFolderOptions& options) {
  if (options.channels != 1 && options.channels != 3) {
    throw Error("image folders are read as 1 or 3 channels, not " +
                std::to_string(options.channels));
  }
  if (options.height <= 0 || options.width <= 0) throw Error("image size must be positive");
  Dataset out;
  out.class_names = files.class_names;
  out.sources = files.files;
  out.labels = files.labels;
  const size_t numel = static_cast<size_t>(options.height) * options.width * options.channels;
  out.sample_dims = {options.channels, options.height, options.width};
  out.samples.resize(out.size() * numel);

  // Each worker decodes a contiguous slice; an error ends that worker's slice
  // and the earliest slice's error is rethrown here, so the first bad file in
  // sorted order is the one reported.
  unsigned workers = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                         : std::max(1u, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<size_t>(workers, out.size()));
  std::vector<std::exception_ptr> failures(workers);
  auto work = [&](unsigned w) {
    const size_t begin = out.size() * w / workers, end = out.size() * (w + 1) / workers;
    try {
      for (size_t i = begin; i < end; ++i)
        read_one(out.sources[i], options, out.samples.data() + i * numel);
    } catch (...) {
      failures[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  if (workers > 0) work(0);
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  return out;
}

}  // namespace yono::data
