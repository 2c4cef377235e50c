// An input the npy fuzz target (fuzz/npy_fuzzer.cpp) found: a valid header
// for an empty array, e.g. shape (0, 3). parse_npy then called memcpy with
// the empty vector's null data() (undefined; UBSan: "null pointer passed as
// argument 1") after indexing the byte vector at its end. The crashing file
// is kept as fuzz/corpus/npy/crash-empty-array, which ./run test's fuzz run
// replays under UBSan.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "yono/compiler/io/npy.h"

namespace yono::e2e {
namespace {

TEST(NpyFuzzRegression, EmptyArrayParsesToItsShapeAndNoValues) {
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{0, 3}, std::vector<int64_t>{0}, std::vector<int64_t>{2, 0, 5}}) {
    const NpyArray a = parse_npy(encode_npy(shape, {}), "empty.npy");
    EXPECT_EQ(a.shape, shape);
    EXPECT_TRUE(a.data.empty());
  }
}

}  // namespace
}  // namespace yono::e2e
