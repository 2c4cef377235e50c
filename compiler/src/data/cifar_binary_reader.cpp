#include "yono/compiler/data/cifar_binary_reader.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "yono/compiler/error.h"

namespace yono::data {
namespace {

constexpr size_t kSide = 32;
constexpr size_t kPixels = 3 * kSide * kSide;
constexpr size_t kRecord = 1 + kPixels;

std::vector<char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::vector<std::string> read_cifar_class_names(const std::string& meta_path) {
  std::ifstream in(meta_path);
  if (!in) throw Error(meta_path + ": cannot open");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  if (names.empty()) throw Error(meta_path + ": no class names");
  return names;
}

void read_cifar_batch(const std::string& path, Dataset& into) {
  const std::vector<char> bytes = read_file(path);
  if (bytes.empty()) throw Error(path + ": empty CIFAR batch");
  if (bytes.size() % kRecord != 0) {
    throw Error(path + ": truncated CIFAR record (" + std::to_string(bytes.size()) +
                " bytes is not a multiple of " + std::to_string(kRecord) + ")");
  }
  into.sample_dims = {3, kSide, kSide};
  const size_t records = bytes.size() / kRecord;
  into.samples.reserve(into.samples.size() + records * kPixels);
  for (size_t r = 0; r < records; ++r) {
    const auto* record = reinterpret_cast<const unsigned char*>(bytes.data() + r * kRecord);
    if (record[0] >= into.class_names.size()) {
      throw Error(path + ": record " + std::to_string(r) + " has label " +
                  std::to_string(record[0]) + ", not below the class count " +
                  std::to_string(into.class_names.size()));
    }
    into.labels.push_back(record[0]);
    // The file is already channel-planar, exactly our {3, 32, 32} layout.
    for (size_t i = 0; i < kPixels; ++i) into.samples.push_back(record[1 + i] / 255.0f);
  }
}

Split read_cifar_binary(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::vector<std::string> names =
      read_cifar_class_names((fs::path(dir) / "batches.meta.txt").string());
  Split split;
  for (Dataset* d : {&split.train, &split.validation, &split.test}) {
    d->class_names = names;
    d->sample_dims = {3, kSide, kSide};
  }
  for (int b = 1; b <= 5; ++b) {
    read_cifar_batch((fs::path(dir) / ("data_batch_" + std::to_string(b) + ".bin")).string(),
                     split.train);
  }
  read_cifar_batch((fs::path(dir) / "test_batch.bin").string(), split.test);
  return split;
}

}  // namespace yono::data
