#include <gtest/gtest.h>
#include <zlib.h>

#include "data_test_support.h"
#include "yono/compiler/data/idx_reader.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

std::vector<uint8_t> idx_bytes(uint8_t type, const std::vector<uint32_t>& dims,
                               const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> bytes = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
  }
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

void write_gz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  gzclose(f);
}

TEST(IdxReader, ReadsGzipImagesAndLabelsScaledToUnitRange) {
  TempDir dir;
  const std::string images = dir.file("images.gz"), labels = dir.file("labels.gz");
  // Three 2x2 images, each pixel distinct so a layout mistake shows.
  std::vector<uint8_t> pixels;
  for (int i = 0; i < 12; ++i) pixels.push_back(static_cast<uint8_t>(i * 20));
  write_gz(images, idx_bytes(0x08, {3, 2, 2}, pixels));
  write_gz(labels, idx_bytes(0x08, {3}, {2, 0, 1}));

  const Dataset d = read_idx_dataset(images, labels, {"a", "b", "c"});
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(d.labels, (std::vector<int32_t>{2, 0, 1}));
  ASSERT_EQ(d.samples.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_FLOAT_EQ(d.samples[i], i * 20 / 255.0f);
  EXPECT_FLOAT_EQ(d.sample(1)[0], 80 / 255.0f);
}

TEST(IdxReader, ReadsUncompressedFilesToo) {
  TempDir dir;
  const std::string path = dir.file("labels");
  test::write_bytes(path, idx_bytes(0x08, {4}, {1, 2, 3, 4}));
  const IdxArray a = read_idx(path);
  EXPECT_EQ(a.dims, (std::vector<uint32_t>{4}));
  EXPECT_EQ(a.bytes, (std::vector<uint8_t>{1, 2, 3, 4}));
}

// Files larger than the reader's buffer (64 KiB) arrive whole, in order,
// compressed or not.
TEST(IdxReader, ReadsFilesSpanningManyReads) {
  TempDir dir;
  std::vector<uint8_t> payload(3 * 300 * 301);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7 + i / 251);
  const std::vector<uint8_t> bytes = idx_bytes(0x08, {3, 300, 301}, payload);
  test::write_bytes(dir.file("plain"), bytes);
  write_gz(dir.file("packed.gz"), bytes);
  for (const std::string& name : {"plain", "packed.gz"}) {
    const IdxArray a = read_idx(dir.file(name));
    EXPECT_EQ(a.dims, (std::vector<uint32_t>{3, 300, 301})) << name;
    EXPECT_EQ(a.bytes, payload) << name;
  }
}

TEST(IdxReader, RejectsBadMagic) {
  TempDir dir;
  const std::string path = dir.file("bad-magic.gz");
  std::vector<uint8_t> bytes = idx_bytes(0x08, {2}, {0, 1});
  bytes[0] = 0x1F;
  write_gz(path, bytes);
  expect_error_naming(
      path, [&] { read_idx(path); }, "magic");
}

TEST(IdxReader, RejectsNonByteElementType) {
  TempDir dir;
  const std::string path = dir.file("floats.gz");
  write_gz(path, idx_bytes(0x0D, {1}, {0, 0, 0, 0}));
  expect_error_naming(
      path, [&] { read_idx(path); }, "element type");
}

TEST(IdxReader, RejectsTruncatedDataAndHeader) {
  TempDir dir;
  const std::string short_data = dir.file("short.gz");
  write_gz(short_data, idx_bytes(0x08, {3, 2, 2}, std::vector<uint8_t>(11, 7)));
  expect_error_naming(
      short_data, [&] { read_idx(short_data); }, "truncated");

  const std::string short_header = dir.file("header.gz");
  write_gz(short_header, {0, 0, 8, 3, 0, 0});
  expect_error_naming(
      short_header, [&] { read_idx(short_header); }, "truncated");
}

TEST(IdxReader, RejectsTrailingBytes) {
  TempDir dir;
  const std::string path = dir.file("long.gz");
  write_gz(path, idx_bytes(0x08, {2}, {1, 2, 3}));
  expect_error_naming(
      path, [&] { read_idx(path); }, "trailing");
}

TEST(IdxReader, RejectsCutGzipStream) {
  TempDir dir;
  const std::string whole = dir.file("whole.gz"), cut = dir.file("cut.gz");
  std::vector<uint8_t> pixels(4000);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 7919 % 251);
  write_gz(whole, idx_bytes(0x08, {10, 20, 20}, pixels));
  std::vector<uint8_t> bytes = test::read_bytes(whole);
  bytes.resize(bytes.size() / 2);
  test::write_bytes(cut, bytes);
  expect_error_naming(
      cut, [&] { read_idx(cut); }, "");
}

TEST(IdxReader, RejectsLabelCountMismatchAndOutOfRangeLabel) {
  TempDir dir;
  const std::string images = dir.file("images.gz"), labels = dir.file("labels.gz");
  write_gz(images, idx_bytes(0x08, {2, 1, 1}, {0, 255}));
  write_gz(labels, idx_bytes(0x08, {3}, {0, 1, 0}));
  expect_error_naming(
      labels,
      [&] {
        read_idx_dataset(images, labels, {"a", "b"});
      },
      "labels");

  write_gz(labels, idx_bytes(0x08, {2}, {0, 5}));
  expect_error_naming(
      labels,
      [&] {
        read_idx_dataset(images, labels, {"a", "b"});
      },
      "label 5");
}

TEST(IdxReader, RejectsWrongRank) {
  TempDir dir;
  const std::string images = dir.file("images.gz"), labels = dir.file("labels.gz");
  write_gz(images, idx_bytes(0x08, {2, 2}, {0, 1, 2, 3}));
  write_gz(labels, idx_bytes(0x08, {2}, {0, 1}));
  expect_error_naming(
      images,
      [&] {
        read_idx_dataset(images, labels, {"a", "b"});
      },
      "dimensions");
}

TEST(IdxReader, MissingFileIsNamed) {
  const std::string path = "/nonexistent/yono/train-images.gz";
  expect_error_naming(
      path, [&] { read_idx(path); }, "cannot open");
}

}  // namespace
}  // namespace yono::data
