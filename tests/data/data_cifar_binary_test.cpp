#include <gtest/gtest.h>

#include "data_test_support.h"
#include "yono/compiler/data/cifar_binary_reader.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

constexpr size_t kPixels = 3 * 32 * 32;

// A record whose pixel bytes encode (record, position) so layout errors show.
std::vector<uint8_t> record(uint8_t label, uint8_t salt) {
  std::vector<uint8_t> r = {label};
  for (size_t i = 0; i < kPixels; ++i) r.push_back(static_cast<uint8_t>((i * 31 + salt) % 256));
  return r;
}

std::vector<uint8_t> batch(const std::vector<std::pair<uint8_t, uint8_t>>& records) {
  std::vector<uint8_t> bytes;
  for (auto [label, salt] : records) {
    const auto r = record(label, salt);
    bytes.insert(bytes.end(), r.begin(), r.end());
  }
  return bytes;
}

std::vector<std::string> ten_classes() {
  return {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
}

TEST(CifarBinaryReader, ReadsPlanarRecordsAsChw) {
  TempDir dir;
  const std::string path = dir.file("data_batch_1.bin");
  test::write_bytes(path, batch({{3, 0}, {9, 5}}));
  Dataset d;
  d.class_names = ten_classes();
  read_cifar_batch(path, d);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{3, 32, 32}));
  EXPECT_EQ(d.labels, (std::vector<int32_t>{3, 9}));
  // Byte i of a record's pixels is channel i / 1024, row (i / 32) % 32, column i % 32.
  for (size_t i : {size_t{0}, size_t{33}, size_t{1024 + 7}, size_t{2048 + 1023}}) {
    EXPECT_FLOAT_EQ(d.sample(1)[i], ((i * 31 + 5) % 256) / 255.0f) << i;
  }
}

TEST(CifarBinaryReader, ReadsOfficialFolderLayout) {
  TempDir dir;
  test::write_text(dir.file("batches.meta.txt"),
                   "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
  for (int b = 1; b <= 5; ++b) {
    test::write_bytes(dir.file("data_batch_" + std::to_string(b) + ".bin"),
                      batch({{static_cast<uint8_t>(b), 1}, {0, 2}}));
  }
  test::write_bytes(dir.file("test_batch.bin"), batch({{7, 3}}));
  const Split s = read_cifar_binary(dir.path());
  EXPECT_EQ(s.train.size(), 10u);
  EXPECT_EQ(s.test.size(), 1u);
  EXPECT_EQ(s.validation.size(), 0u);
  EXPECT_EQ(s.train.class_names, ten_classes());
  EXPECT_EQ(s.train.labels[8], 5);
  EXPECT_EQ(s.test.labels[0], 7);
}

TEST(CifarBinaryReader, RejectsTruncatedRecord) {
  TempDir dir;
  const std::string path = dir.file("data_batch_2.bin");
  std::vector<uint8_t> bytes = batch({{1, 0}, {2, 0}});
  bytes.pop_back();
  test::write_bytes(path, bytes);
  Dataset d;
  d.class_names = ten_classes();
  expect_error_naming(
      path, [&] { read_cifar_batch(path, d); }, "truncated");
}

TEST(CifarBinaryReader, RejectsLabelOutsideClasses) {
  TempDir dir;
  const std::string path = dir.file("test_batch.bin");
  test::write_bytes(path, batch({{1, 0}, {10, 0}}));
  Dataset d;
  d.class_names = ten_classes();
  expect_error_naming(
      path, [&] { read_cifar_batch(path, d); }, "label 10");
}

TEST(CifarBinaryReader, MissingBatchIsNamed) {
  TempDir dir;
  test::write_text(dir.file("batches.meta.txt"), "a\nb\n");
  test::write_bytes(dir.file("data_batch_1.bin"), batch({{1, 0}}));
  expect_error_naming(
      "data_batch_2.bin", [&] { read_cifar_binary(dir.path()); }, "cannot open");
}

}  // namespace
}  // namespace yono::data
