// IDX files (the MNIST / Fashion-MNIST container), plain or gzip-compressed.
// Only the unsigned-byte element type is accepted: it is the only one these
// data sets use, and accepting others untested would hide mistakes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/dataset.h"

namespace yono::data {

struct IdxArray {
  std::vector<uint32_t> dims;  // dims[0] is the item count
  std::vector<uint8_t> bytes;  // row-major, product(dims) bytes
};

// Throws yono::Error naming the file on bad magic, wrong element type,
// truncated or trailing data.
IdxArray read_idx(const std::string& path);

// Images (N x H x W bytes) plus labels (N bytes) -> {1, H, W} samples in [0, 1].
// Labels must be < class_names.size().
Dataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         const std::vector<std::string>& class_names);

}  // namespace yono::data
