// Fuzz target: the .npy reader (compiler/src/io/npy.cpp): parse_npy on the
// bytes (how `yono run --input` and the tests read tensors), read_npy on
// them as a file, and for an accepted array the round trip through
// encode_npy, which must give back the same shape and values.
// Seeds: fuzz/corpus/npy (float32 and float64 arrays of a few shapes, a
// version 2 header).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "yono/compiler/io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  yono::fuzz::expect_only_yono_errors("parse_npy", [&] {
    const yono::NpyArray array = yono::parse_npy(bytes, "fuzz.npy");
    const yono::NpyArray again =
        yono::parse_npy(yono::encode_npy(array.shape, array.data), "again");
    if (again.shape != array.shape || again.data.size() != array.data.size() ||
        (!array.data.empty() &&
         std::memcmp(again.data.data(), array.data.data(), array.data.size() * sizeof(float)) != 0))
      yono::fuzz::report_bug("encode_npy", "the round trip changed the array");
  });
  const std::string path = yono::fuzz::write_scratch_file("tensor.npy", data, size);
  yono::fuzz::expect_only_yono_errors("read_npy", [&] { (void)yono::read_npy(path); });
  return 0;
}
