#include <gtest/gtest.h>
#include <png.h>

#include <cstdio>
#include <cstring>

#include "data_test_support.h"
#include "test_jpeg.h"
#include "yono/compiler/data/image_folder_reader.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

// Interleaved RGB pixels of one flat colour: flat blocks survive JPEG almost exactly.
std::vector<uint8_t> flat_rgb(int h, int w, uint8_t r, uint8_t g, uint8_t b) {
  std::vector<uint8_t> px;
  for (int i = 0; i < h * w; ++i) px.insert(px.end(), {r, g, b});
  return px;
}

void write_jpeg(const std::string& path, int h, int w, const std::vector<uint8_t>& rgb) {
  test::write_jpeg(path, h, w, 3, rgb);
}

void write_png(const std::string& path, int h, int w, const std::vector<uint8_t>& rgb) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(w);
  image.height = static_cast<png_uint_32>(h);
  image.format = PNG_FORMAT_RGB;
  ASSERT_NE(png_image_write_to_file(&image, path.c_str(), 0, rgb.data(), 0, nullptr), 0);
}

TEST(ImageFolderReader, SortedClassesChwLayoutAndBothCodecs) {
  TempDir dir;
  // Folders created out of order: labels must follow the sorted names.
  write_jpeg(dir.file("zebra/b.jpg"), 4, 4, flat_rgb(4, 4, 200, 100, 50));
  write_jpeg(dir.file("zebra/a.JPG"), 4, 4, flat_rgb(4, 4, 10, 20, 30));
  std::vector<uint8_t> gradient;
  for (int i = 0; i < 16; ++i)
    gradient.insert(gradient.end(), {uint8_t(i), uint8_t(100 + i), uint8_t(200 + i)});
  write_png(dir.file("ant/x.png"), 4, 4, gradient);
  test::write_text(dir.file("ant/notes.txt"), "ignored");

  const Dataset d = read_image_folder(dir.path(), {4, 4, 3, 2});
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"ant", "zebra"}));
  EXPECT_EQ(d.labels, (std::vector<int32_t>{0, 1, 1}));
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{3, 4, 4}));
  ASSERT_EQ(d.sources.size(), 3u);
  EXPECT_NE(d.sources[1].find("a.JPG"), std::string::npos);
  // PNG is lossless: exact CHW values.
  for (int p = 0; p < 16; ++p) {
    EXPECT_FLOAT_EQ(d.sample(0)[p], p / 255.0f);
    EXPECT_FLOAT_EQ(d.sample(0)[16 + p], (100 + p) / 255.0f);
    EXPECT_FLOAT_EQ(d.sample(0)[32 + p], (200 + p) / 255.0f);
  }
  // JPEG at quality 100 on a flat block: within a couple of levels.
  EXPECT_NEAR(d.sample(1)[0], 10 / 255.0f, 3 / 255.0f);
  EXPECT_NEAR(d.sample(1)[16 + 5], 20 / 255.0f, 3 / 255.0f);
  EXPECT_NEAR(d.sample(2)[32 + 15], 50 / 255.0f, 3 / 255.0f);
}

TEST(ImageFolderReader, GreyOutputFromColourFiles) {
  TempDir dir;
  write_png(dir.file("c/x.png"), 2, 3, flat_rgb(2, 3, 128, 128, 128));
  const Dataset d = read_image_folder(dir.path(), {2, 3, 1, 1});
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_NEAR(d.sample(0)[5], 128 / 255.0f, 2 / 255.0f);
}

TEST(ImageFolderReader, WrongSizeNamesFile) {
  TempDir dir;
  write_jpeg(dir.file("a/ok.jpg"), 4, 4, flat_rgb(4, 4, 1, 2, 3));
  const std::string big = dir.file("b/big.jpg");
  write_jpeg(big, 8, 4, flat_rgb(8, 4, 1, 2, 3));
  expect_error_naming(
      big,
      [&] {
        read_image_folder(dir.path(), {4, 4, 3, 2});
      },
      "8x4x3, expected 4x4x3");
  const std::string png = dir.file("c/wide.png");
  std::filesystem::remove(big);
  write_png(png, 4, 5, flat_rgb(4, 5, 1, 2, 3));
  write_jpeg(dir.file("b/ok.jpg"), 4, 4, flat_rgb(4, 4, 1, 2, 3));
  expect_error_naming(
      png,
      [&] {
        read_image_folder(dir.path(), {4, 4, 3, 1});
      },
      "expected 4x4x3");
}

TEST(ImageFolderReader, ResizeScalesFilesOfEverySizeAndCodec) {
  TempDir dir;
  write_jpeg(dir.file("a/tall.jpg"), 16, 8, flat_rgb(16, 8, 40, 80, 120));
  write_png(dir.file("b/wide.png"), 3, 10, flat_rgb(3, 10, 200, 100, 0));
  ImageFolderOptions o{4, 4, 3, 1};
  o.resize = true;
  const Dataset d = read_image_folder(dir.path(), o);
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{3, 4, 4}));
  // Flat images stay flat whichever way each axis is scaled.
  for (int p = 0; p < 16; ++p) {
    EXPECT_NEAR(d.sample(0)[p], 40 / 255.0f, 3 / 255.0f);
    EXPECT_NEAR(d.sample(0)[32 + p], 120 / 255.0f, 3 / 255.0f);
    EXPECT_NEAR(d.sample(1)[p], 200 / 255.0f, 1e-5f);
    EXPECT_NEAR(d.sample(1)[16 + p], 100 / 255.0f, 1e-5f);
  }
}

TEST(ImageFolderReader, EmptyClassFolderNamesFolder) {
  TempDir dir;
  write_jpeg(dir.file("full/a.jpg"), 4, 4, flat_rgb(4, 4, 1, 2, 3));
  test::write_text(dir.file("hollow/readme.txt"), "no images here");
  expect_error_naming((std::filesystem::path(dir.path()) / "hollow").string(),
                      [&] {
                        read_image_folder(dir.path(), {4, 4, 3, 1});
                      },
                      "empty class folder");
}

TEST(ImageFolderReader, TruncatedAndGarbageFilesNamed) {
  TempDir dir;
  const std::string whole = dir.file("a/whole.jpg");
  std::vector<uint8_t> noisy;
  for (int i = 0; i < 16 * 16 * 3; ++i) noisy.push_back(static_cast<uint8_t>(i * 7919 % 256));
  write_jpeg(whole, 16, 16, noisy);
  std::vector<uint8_t> bytes = test::read_bytes(whole);
  bytes.resize(bytes.size() * 2 / 3);
  const std::string cut = dir.file("a/cut.jpg");
  test::write_bytes(cut, bytes);
  expect_error_naming(
      cut,
      [&] {
        read_image_folder(dir.path(), {16, 16, 3, 1});
      },
      "JPEG");

  std::filesystem::remove(cut);
  const std::string garbage = dir.file("a/garbage.png");
  test::write_text(garbage, "this is not an image");
  expect_error_naming(
      garbage,
      [&] {
        read_image_folder(dir.path(), {16, 16, 3, 1});
      },
      "");
}

}  // namespace
}  // namespace yono::data
