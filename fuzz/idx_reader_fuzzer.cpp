// Fuzz target: the IDX reader (compiler/src/data/idx_reader.cpp), on the
// input written as a file: read_idx, which takes plain and gzip-compressed
// files (zlib's gzread). An N x H x W array it accepts also goes through
// read_idx_dataset with a matching labels file, as an MNIST folder would.
// Seeds: fuzz/corpus/idx_reader (images and labels, plain and .gz).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "yono/compiler/data/idx_reader.h"

namespace {

// A labels file for `count` items (cycling through 10 classes).
std::string labels_file(uint32_t count) {
  std::vector<uint8_t> bytes = {0, 0, 0x08, 1};
  for (int shift = 24; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<uint8_t>(count >> shift));
  for (uint32_t i = 0; i < count; ++i) bytes.push_back(static_cast<uint8_t>(i % 10));
  return yono::fuzz::write_scratch_file("labels-idx1-ubyte", bytes.data(), bytes.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = yono::fuzz::write_scratch_file("images-idx3-ubyte", data, size);
  yono::fuzz::expect_only_yono_errors("read_idx", [&] {
    const yono::data::IdxArray array = yono::data::read_idx(path);
    // The payload is already in memory, so its item count is bounded by the input.
    if (array.dims.size() == 3) {
      const std::vector<std::string> classes = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
      (void)yono::data::read_idx_dataset(path, labels_file(array.dims[0]), classes);
    }
  });
  return 0;
}
