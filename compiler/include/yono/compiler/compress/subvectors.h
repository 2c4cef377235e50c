// Turning a layer's weights into the sub-vectors the shared codebook is
// learned on, and back. Rows (one per output channel) are divided by their own
// scale first so layers and channels of very different magnitude share
// codewords; the scale is stored per channel in the pack (PqWeights::scales).
#pragma once

#include <cstdint>
#include <vector>

namespace yono {

enum class RowScale {
  kRms,     // root mean square of the row (the default; see subvectors.cpp)
  kMaxAbs,  // largest |weight| of the row
};

struct RowSubvectors {
  uint32_t rows = 0, row_len = 0, dim = 0;
  uint32_t subvectors_per_row = 0;  // ceil(row_len / dim)
  std::vector<float> scales;        // per row; 1 for an all-zero row
  std::vector<float> vectors;       // rows * subvectors_per_row x dim, tails zero-padded
};

// `weights` is [rows][row_len] row-major (OIHW conv or [out][in] dense
// weights). Throws yono::Error if the sizes disagree or dim is 0.
RowSubvectors split_rows(const std::vector<float>& weights, uint32_t rows, uint32_t row_len,
                         uint32_t dim, RowScale scale = RowScale::kRms);

// The weights a PQ kernel computes with: row o, element j is
// scales[o] * codebook[codes[o * spr + j / dim] * dim + j % dim], spr =
// ceil(row_len / dim). Padding lanes of the tail codeword are never read.
std::vector<float> reconstruct_rows(const std::vector<float>& codebook, uint32_t dim,
                                    const std::vector<uint32_t>& codes,
                                    const std::vector<float>& scales, uint32_t rows,
                                    uint32_t row_len);

}  // namespace yono
