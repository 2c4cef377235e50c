// Row scale choice: RMS rather than max-abs. In a quick experiment (three
// layers of 32x288, 64x9 and 64x256 weights, per-channel magnitudes spread
// 10x, one shared codebook with D = 4, K = 256) RMS gave the lower relative
// reconstruction error: 0.082 vs 0.085 for Gaussian rows and 0.088 vs 0.089
// for heavier-tailed Laplace rows. The margin is small but consistent: with
// max-abs one outlier shrinks the rest of its row towards zero, where the
// shared codewords are less fine-grained relative to those weights, while RMS
// keeps the bulk of every row at unit size.
#include "yono/compiler/compress/subvectors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "yono/compiler/error.h"

namespace yono {

namespace {

float row_scale(const float* row, uint32_t n, RowScale kind) {
  double s = 0.0;
  if (kind == RowScale::kMaxAbs) {
    for (uint32_t j = 0; j < n; ++j) s = std::max(s, std::fabs(static_cast<double>(row[j])));
  } else {
    for (uint32_t j = 0; j < n; ++j) s += static_cast<double>(row[j]) * row[j];
    s = std::sqrt(s / n);
  }
  // An all-zero row decodes to zeros whatever its codes; 1 avoids dividing by 0.
  return (s > 0.0 && std::isfinite(s)) ? static_cast<float>(s) : 1.0f;
}

}  // namespace

RowSubvectors split_rows(const std::vector<float>& weights, uint32_t rows, uint32_t row_len,
                         uint32_t dim, RowScale scale) {
  if (dim == 0 || row_len == 0) {
    throw Error(
        fmt::format("sub-vectors: row length {} and dimension {} must be positive", row_len, dim));
  }
  if (weights.size() != static_cast<size_t>(rows) * row_len) {
    throw Error(fmt::format("sub-vectors: {} weights are not {} rows of {}", weights.size(), rows,
                            row_len));
  }
  RowSubvectors out;
  out.rows = rows;
  out.row_len = row_len;
  out.dim = dim;
  out.subvectors_per_row = (row_len + dim - 1) / dim;
  const size_t padded = static_cast<size_t>(out.subvectors_per_row) * dim;
  out.scales.resize(rows);
  out.vectors.assign(static_cast<size_t>(rows) * padded, 0.0f);
  for (uint32_t o = 0; o < rows; ++o) {
    const float* row = weights.data() + static_cast<size_t>(o) * row_len;
    const float s = row_scale(row, row_len, scale);
    out.scales[o] = s;
    float* dst = out.vectors.data() + static_cast<size_t>(o) * padded;
    for (uint32_t j = 0; j < row_len; ++j) dst[j] = row[j] / s;
  }
  return out;
}

std::vector<float> reconstruct_rows(const std::vector<float>& codebook, uint32_t dim,
                                    const std::vector<uint32_t>& codes,
                                    const std::vector<float>& scales, uint32_t rows,
                                    uint32_t row_len) {
  if (dim == 0 || codebook.size() % dim != 0) {
    throw Error(fmt::format("reconstruct: codebook of {} values is not made of {}-vectors",
                            codebook.size(), dim));
  }
  const size_t per_row = (static_cast<size_t>(row_len) + dim - 1) / dim;
  const size_t k = codebook.size() / dim;
  if (codes.size() != rows * per_row || scales.size() != rows) {
    throw Error(fmt::format("reconstruct: {} codes and {} scales do not describe {} rows of {}",
                            codes.size(), scales.size(), rows, row_len));
  }
  std::vector<float> out(static_cast<size_t>(rows) * row_len);
  for (uint32_t o = 0; o < rows; ++o) {
    for (uint32_t j = 0; j < row_len; ++j) {
      const uint32_t code = codes[o * per_row + j / dim];
      if (code >= k) {
        throw Error(fmt::format("reconstruct: code {} exceeds the {} codewords", code, k));
      }
      out[static_cast<size_t>(o) * row_len + j] =
          scales[o] * codebook[size_t{code} * dim + j % dim];
    }
  }
  return out;
}

}  // namespace yono
