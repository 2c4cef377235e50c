// ir::Codebook -> the bytes a CodebookRecord describes. Private to the pack
// writer. The compressor has already rounded the centroids to the codebook's
// dtype, so storing them must be exact: a centroid that does not survive the
// round trip is an error, never a silent change of the weights the float
// reference was computed with.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono {

struct CodebookPayload {
  uint32_t dtype = 0;        // yono::CodebookDType
  float value_scale = 0.0f;  // kI8 only
  std::vector<uint8_t> bytes;
};

// Throws yono::Error naming the codebook on a bad shape or a centroid the
// dtype cannot hold exactly.
CodebookPayload encode_codebook(const ir::Codebook& c);

// The binary16 bits of v, which must be exactly representable (f16 codebook
// values and f16 scales alike); throws yono::Error otherwise.
uint16_t exact_half_bits(float v);

}  // namespace yono
