// Miniature user data folders for the data and CLI tests, one per layout that
// `yono train --data` detects (IDX, images, audio, sensor recordings), each
// with a pattern per class that a model picks up in a few steps, plus the
// single-file writers the malformed variants are made with. Seeded: the same
// call writes the same bytes.
#pragma once

#include <png.h>
#include <sndfile.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace yono::test {

namespace fixtures_fs = std::filesystem;

inline void make_parent(const std::string& path) {
  fixtures_fs::create_directories(fixtures_fs::path(path).parent_path());
}

// h x w pixels, 1 (grey) or 3 (RGB, interleaved) channels.
inline void write_png_image(const std::string& path, int h, int w, int channels,
                            const std::vector<uint8_t>& pixels) {
  make_parent(path);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(w);
  image.height = static_cast<png_uint_32>(h);
  image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  if (png_image_write_to_file(&image, path.c_str(), 0, pixels.data(), 0, nullptr) == 0)
    throw std::runtime_error("cannot write " + path);
}

// Mono 16-bit PCM.
inline void write_wav_clip(const std::string& path, int rate, const std::vector<short>& pcm) {
  make_parent(path);
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) throw std::runtime_error("cannot write " + path);
  sf_write_short(f, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(f);
}

inline void write_text_file(const std::string& path, const std::string& text) {
  make_parent(path);
  std::ofstream(path) << text;
}

// An unsigned-byte IDX file, gzip-compressed when the name ends in .gz.
inline void write_idx_file(const std::string& path, const std::vector<uint32_t>& dims,
                           const std::vector<uint8_t>& payload) {
  make_parent(path);
  std::vector<uint8_t> bytes = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot write " + path);
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
}

// Class c of `classes`: a bright horizontal band over noise, at a height that
// differs per class; interleaved channels, the band in every channel.
inline std::vector<uint8_t> band_pixels(int c, int classes, int h, int w, int channels,
                                        std::mt19937& rng) {
  const int band = (c * h) / classes + h / (2 * classes);
  std::vector<uint8_t> px;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < channels; ++ch)
        px.push_back(static_cast<uint8_t>((y == band ? 180 : 0) + rng() % 50 + 10 * ch));
  return px;
}

// <root>/<split>/<class>/<i>.png, `per_class` band images each.
inline void make_image_folder(const fixtures_fs::path& root, const std::string& split,
                              const std::vector<std::string>& classes, int per_class, int h, int w,
                              int channels, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int i = 0; i < per_class; ++i)
      write_png_image(
          (root / split / classes[c] / (std::to_string(i) + ".png")).string(), h, w, channels,
          band_pixels(static_cast<int>(c), static_cast<int>(classes.size()), h, w, channels, rng));
}

// <root>/<split>/<class>/<i>.wav: class c is a tone of 500 * (c + 1) Hz in noise.
inline void make_audio_folder(const fixtures_fs::path& root, const std::string& split,
                              const std::vector<std::string>& classes, int per_class, int rate,
                              int samples, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, 0.02f);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int i = 0; i < per_class; ++i) {
      std::vector<short> pcm;
      const double hz = 500.0 * static_cast<double>(c + 1), phase = 0.3 * i;
      for (int t = 0; t < samples; ++t)
        pcm.push_back(static_cast<short>(
            10000.0 * (0.5 * std::sin(2 * M_PI * hz * t / rate + phase) + noise(rng))));
      write_wav_clip((root / split / classes[c] / (std::to_string(i) + ".wav")).string(), rate,
                     pcm);
    }
}

// <root>/<split>/<class>/<i>.csv (split "" = class folders at the top), a
// header line and `rows` samples of `columns` channels: class c swings
// channel c % columns slowly, the others carry noise.
inline void make_sensor_folder(const fixtures_fs::path& root, const std::string& split,
                               const std::vector<std::string>& classes, int files_per_class,
                               int rows, int columns, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, 0.1f);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int f = 0; f < files_per_class; ++f) {
      std::string text;
      for (int k = 0; k < columns; ++k) text += (k ? "," : "") + std::string("ch") + char('a' + k);
      text += "\n";
      for (int r = 0; r < rows; ++r) {
        for (int k = 0; k < columns; ++k) {
          float v = noise(rng);
          if (k == static_cast<int>(c) % columns) v += 2.0f * std::sin(0.4f * r + f);
          text += (k ? ", " : "") + std::to_string(v);
        }
        text += "\n";
      }
      write_text_file((root / split / classes[c] / (std::to_string(f) + ".csv")).string(), text);
    }
}

// IDX files as MNIST ships them (gzip): `train` band images of side x side
// and, when test > 0, t10k files with `test` more; labels cycle through
// `classes`.
inline void make_idx_folder(const fixtures_fs::path& root, int classes, int train, int test,
                            int side, uint32_t seed) {
  std::mt19937 rng(seed);
  auto write = [&](const std::string& prefix, int count) {
    std::vector<uint8_t> images, labels;
    for (int i = 0; i < count; ++i) {
      const int c = i % classes;
      labels.push_back(static_cast<uint8_t>(c));
      const std::vector<uint8_t> px = band_pixels(c, classes, side, side, 1, rng);
      images.insert(images.end(), px.begin(), px.end());
    }
    const auto n = static_cast<uint32_t>(count), s = static_cast<uint32_t>(side);
    write_idx_file((root / (prefix + "-images-idx3-ubyte.gz")).string(), {n, s, s}, images);
    write_idx_file((root / (prefix + "-labels-idx1-ubyte.gz")).string(), {n}, labels);
  };
  write("train", train);
  if (test > 0) write("t10k", test);
}

}  // namespace yono::test
