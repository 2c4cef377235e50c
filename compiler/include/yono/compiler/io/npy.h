// NumPy .npy files: how tensors enter and leave the CLI, and how the
// reference outputs made by scripts/make_fixtures.py reach the tests.
// Only what those need: float32 little-endian in C order (float64 is read
// and converted, since numpy's default dtype is float64).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono {

struct NpyArray {
  std::vector<int64_t> shape;  // empty for a 0-d array
  std::vector<float> data;     // C order, element_count(shape) values
};

// `name` is only used in error messages (usually the file path).
// Throws yono::Error on bad magic, an unsupported dtype, Fortran order, a
// malformed header or truncated data.
NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& name);
NpyArray read_npy(const std::string& path);

// Format version 1.0, '<f4'. Throws yono::Error if data.size() does not
// match the shape.
std::vector<uint8_t> encode_npy(const std::vector<int64_t>& shape, const std::vector<float>& data);
void write_npy(const std::string& path, const std::vector<int64_t>& shape,
               const std::vector<float>& data);  // atomically

}  // namespace yono
