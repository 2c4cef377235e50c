#include "yono/compiler/data/image_folder_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <thread>

#include "image_decode.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace fs = std::filesystem;

std::string describe(ImageShape shape) {
  return std::to_string(shape.height) + "x" + std::to_string(shape.width) + "x" +
         std::to_string(shape.channels);
}

namespace {

bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

std::vector<uint8_t> read_bytes(const std::string& path) {
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

// Picks the codec from the file's signature, not its name.
void decode_file(const std::string& path, ImageShape shape, uint8_t* out) {
  const std::vector<uint8_t> bytes = read_bytes(path);
  if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8) {
    decode_jpeg(path, bytes.data(), bytes.size(), shape, out);
  } else if (bytes.size() >= 8 && bytes[0] == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' &&
             bytes[3] == 'G') {
    decode_png(path, bytes.data(), bytes.size(), shape, out);
  } else {
    throw Error(path + ": neither JPEG nor PNG data");
  }
}

}  // namespace

Dataset read_image_folder(const std::string& dir, const ImageFolderOptions& options) {
  if (options.channels != 1 && options.channels != 3) {
    throw Error(dir + ": image folders are read as 1 or 3 channels");
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory");
  Dataset out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string()[0] != '.') {
      out.class_names.push_back(entry.path().filename().string());
    }
  }
  std::sort(out.class_names.begin(), out.class_names.end());
  if (out.class_names.empty()) throw Error(dir + ": no class folders");
  for (size_t c = 0; c < out.class_names.size(); ++c) {
    const fs::path class_dir = fs::path(dir) / out.class_names[c];
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(class_dir)) {
      if (entry.is_regular_file() && is_image_name(entry.path())) {
        files.push_back(entry.path().string());
      }
    }
    if (files.empty()) throw Error(class_dir.string() + ": empty class folder (no .jpg/.png)");
    std::sort(files.begin(), files.end());
    out.sources.insert(out.sources.end(), files.begin(), files.end());
    out.labels.insert(out.labels.end(), files.size(), static_cast<int32_t>(c));
  }

  const ImageShape shape{options.height, options.width, options.channels};
  const size_t pixels = static_cast<size_t>(shape.height) * shape.width;
  const size_t numel = pixels * static_cast<size_t>(shape.channels);
  out.sample_dims = {shape.channels, shape.height, shape.width};
  out.samples.resize(out.size() * numel);

  // Each worker decodes a contiguous slice and transposes HWC -> CHW in place;
  // an error ends that worker's slice and the earliest slice's error is rethrown here.
  unsigned workers = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                         : std::max(1u, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<size_t>(workers, out.size()));
  std::vector<std::exception_ptr> failures(workers);
  auto work = [&](unsigned w) {
    std::vector<uint8_t> hwc(numel);
    const size_t begin = out.size() * w / workers, end = out.size() * (w + 1) / workers;
    try {
      for (size_t i = begin; i < end; ++i) {
        decode_file(out.sources[i], shape, hwc.data());
        float* chw = out.samples.data() + i * numel;
        for (size_t p = 0; p < pixels; ++p) {
          for (int ch = 0; ch < shape.channels; ++ch) {
            chw[static_cast<size_t>(ch) * pixels + p] = hwc[p * shape.channels + ch] / 255.0f;
          }
        }
      }
    } catch (...) {
      failures[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  return out;
}

}  // namespace yono::data
