// Row splitting and reconstruction: exact round trip when the codebook holds
// every sub-vector, per-row scales, and padding lanes that never matter.
#include "yono/compiler/compress/subvectors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "yono/compiler/error.h"

namespace {

// A codebook holding each sub-vector verbatim, code i for sub-vector i.
void identity_codebook(const yono::RowSubvectors& s, std::vector<float>* codebook,
                       std::vector<uint32_t>* codes) {
  *codebook = s.vectors;
  codes->resize(s.vectors.size() / s.dim);
  for (size_t i = 0; i < codes->size(); ++i) (*codes)[i] = static_cast<uint32_t>(i);
}

TEST(Subvectors, RoundTripIsExactWithIdentityCodebook) {
  std::mt19937 rng(1);
  std::normal_distribution<float> dist(0.0f, 0.3f);
  for (uint32_t dim : {1u, 3u, 4u, 8u, 16u}) {
    for (auto kind : {yono::RowScale::kRms, yono::RowScale::kMaxAbs}) {
      const uint32_t rows = 5, row_len = 27;
      std::vector<float> w(rows * row_len);
      for (float& v : w) v = dist(rng);
      for (uint32_t j = 0; j < row_len; ++j) w[2 * row_len + j] = 0.0f;
      const auto s = yono::split_rows(w, rows, row_len, dim, kind);
      EXPECT_EQ(s.subvectors_per_row, (row_len + dim - 1) / dim);
      EXPECT_EQ(s.scales[2], 1.0f) << "zero row";
      std::vector<float> codebook;
      std::vector<uint32_t> codes;
      identity_codebook(s, &codebook, &codes);
      const auto back = yono::reconstruct_rows(codebook, dim, codes, s.scales, rows, row_len);
      ASSERT_EQ(back.size(), w.size());
      for (size_t i = 0; i < w.size(); ++i) {
        EXPECT_NEAR(back[i], w[i], 1e-6f * (1.0f + std::fabs(w[i]))) << "dim " << dim << " i " << i;
      }
    }
  }
}

TEST(Subvectors, ScalesNormaliseRows) {
  const std::vector<float> w = {3, -4, 0, 0, /*row 2*/ 1, 1, 1, 1};
  const auto rms = yono::split_rows(w, 2, 4, 2, yono::RowScale::kRms);
  EXPECT_FLOAT_EQ(rms.scales[0], 2.5f);  // sqrt((9 + 16) / 4)
  EXPECT_FLOAT_EQ(rms.scales[1], 1.0f);
  EXPECT_FLOAT_EQ(rms.vectors[1], -1.6f);
  const auto maxabs = yono::split_rows(w, 2, 4, 2, yono::RowScale::kMaxAbs);
  EXPECT_FLOAT_EQ(maxabs.scales[0], 4.0f);
  EXPECT_FLOAT_EQ(maxabs.vectors[0], 0.75f);
}

TEST(Subvectors, TailIsZeroPadded) {
  const std::vector<float> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // 2 rows of 5, dim 4
  const auto s = yono::split_rows(w, 2, 5, 4);
  ASSERT_EQ(s.vectors.size(), 2u * 2u * 4u);
  for (uint32_t o = 0; o < 2; ++o) {
    for (uint32_t l = 1; l < 4; ++l) EXPECT_EQ(s.vectors[o * 8 + 4 + l], 0.0f);
  }
}

TEST(Subvectors, PaddingLanesNeverAffectReconstruction) {
  const uint32_t dim = 4, rows = 3, row_len = 6;  // 2 sub-vectors, last has 2 padding lanes
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> codebook(8 * dim);
  for (float& v : codebook) v = dist(rng);
  const std::vector<uint32_t> codes = {0, 1, 2, 3, 4, 5};
  const std::vector<float> scales = {1.0f, 0.5f, 2.0f};
  const auto before = yono::reconstruct_rows(codebook, dim, codes, scales, rows, row_len);
  for (uint32_t c : {1u, 3u, 5u}) {  // the tail codewords
    codebook[c * dim + 2] = 1e30f;
    codebook[c * dim + 3] = NAN;
  }
  const auto after = yono::reconstruct_rows(codebook, dim, codes, scales, rows, row_len);
  EXPECT_EQ(before, after);
}

TEST(Subvectors, RejectsInconsistentSizes) {
  EXPECT_THROW(yono::split_rows({1, 2, 3}, 2, 2, 2), yono::Error);
  EXPECT_THROW(yono::split_rows({1, 2}, 1, 2, 0), yono::Error);
  EXPECT_THROW(yono::reconstruct_rows({1, 2, 3, 4}, 2, {0}, {1.0f}, 1, 4), yono::Error);
  EXPECT_THROW(yono::reconstruct_rows({1, 2, 3, 4}, 2, {0, 2}, {1.0f}, 1, 4), yono::Error);
}

}  // namespace
