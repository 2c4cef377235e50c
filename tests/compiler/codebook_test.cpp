// Shared-codebook k-means: recovers obvious structure, assigns every vector
// to its nearest codeword, leaves no codeword empty, clamps K sensibly and is
// reproducible from its seed.
#include "yono/compiler/compress/codebook.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "yono/compiler/error.h"

namespace {

double sq_dist(const float* a, const float* b, uint32_t dim) {
  double s = 0.0;
  for (uint32_t l = 0; l < dim; ++l) s += (double{a[l]} - b[l]) * (double{a[l]} - b[l]);
  return s;
}

std::vector<float> gaussian(std::mt19937& rng, size_t n, uint32_t dim, float sigma) {
  std::normal_distribution<float> dist(0.0f, sigma);
  std::vector<float> v(n * dim);
  for (float& x : v) x = dist(rng);
  return v;
}

// Every vector's codeword is (up to float rounding) its nearest one.
void expect_nearest(const yono::CodebookFit& fit, const std::vector<float>& x) {
  const size_t n = x.size() / fit.dim;
  ASSERT_EQ(fit.assignment.size(), n);
  for (size_t i = 0; i < n; ++i) {
    ASSERT_LT(fit.assignment[i], fit.k);
    const float* v = x.data() + i * fit.dim;
    const double mine =
        sq_dist(v, fit.centroids.data() + size_t{fit.assignment[i]} * fit.dim, fit.dim);
    for (uint32_t c = 0; c < fit.k; ++c) {
      const double other = sq_dist(v, fit.centroids.data() + size_t{c} * fit.dim, fit.dim);
      ASSERT_LE(mine, other + 1e-5 * (1.0 + other)) << "vector " << i << " codeword " << c;
    }
  }
}

void expect_no_empty_cluster(const yono::CodebookFit& fit) {
  std::vector<size_t> count(fit.k, 0);
  for (uint32_t a : fit.assignment) ++count[a];
  for (uint32_t c = 0; c < fit.k; ++c) EXPECT_GT(count[c], 0u) << "codeword " << c;
}

TEST(Codebook, RecoversSeparatedBlobs) {
  const uint32_t dim = 4, blobs = 8, per_blob = 100;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> center(-50.0f, 50.0f);
  std::vector<float> centers(blobs * dim);
  for (float& c : centers) c = center(rng);
  std::vector<float> x;
  for (uint32_t b = 0; b < blobs; ++b) {
    const auto noise = gaussian(rng, per_blob, dim, 0.1f);
    for (uint32_t i = 0; i < per_blob; ++i)
      for (uint32_t l = 0; l < dim; ++l) x.push_back(centers[b * dim + l] + noise[i * dim + l]);
  }
  const auto fit = yono::learn_codebook(x, dim, blobs, 42);
  ASSERT_EQ(fit.k, blobs);
  std::set<uint32_t> used;
  for (uint32_t b = 0; b < blobs; ++b) {
    const uint32_t code = fit.assignment[b * per_blob];
    for (uint32_t i = 0; i < per_blob; ++i) ASSERT_EQ(fit.assignment[b * per_blob + i], code);
    used.insert(code);
  }
  EXPECT_EQ(used.size(), blobs) << "two blobs share a codeword";
  EXPECT_LT(fit.mse, 0.02);  // noise variance is 0.01 per scalar
  expect_nearest(fit, x);
}

TEST(Codebook, AssignsEveryVectorBeyondFaissSubsample) {
  // 5000 > 256 * 16, so FAISS trains on a subsample only.
  const uint32_t dim = 3, k = 16;
  std::mt19937 rng(2);
  const auto x = gaussian(rng, 5000, dim, 1.0f);
  const auto fit = yono::learn_codebook(x, dim, k, 7);
  ASSERT_EQ(fit.k, k);
  ASSERT_EQ(fit.centroids.size(), size_t{k} * dim);
  expect_nearest(fit, x);
  expect_no_empty_cluster(fit);
  EXPECT_TRUE(fit.warnings.empty());
}

TEST(Codebook, ClampsKToDistinctVectorsWithWarning) {
  // 10 vectors, only 3 distinct.
  const std::vector<float> base = {0, 0, 1, 1, 5, -2};
  std::vector<float> x;
  for (int i = 0; i < 10; ++i)
    x.insert(x.end(), base.begin() + (i % 3) * 2, base.begin() + (i % 3) * 2 + 2);
  const auto fit = yono::learn_codebook(x, 2, 8, 1);
  EXPECT_EQ(fit.k, 3u);
  ASSERT_FALSE(fit.warnings.empty());
  EXPECT_NE(fit.warnings[0].find("distinct"), std::string::npos) << fit.warnings[0];
  EXPECT_EQ(fit.mse, 0.0);
  expect_nearest(fit, x);
  expect_no_empty_cluster(fit);
}

TEST(Codebook, KAboveVectorCountClamps) {
  std::mt19937 rng(3);
  const auto x = gaussian(rng, 5, 4, 1.0f);
  const auto fit = yono::learn_codebook(x, 4, 64, 1);
  EXPECT_EQ(fit.k, 5u);
  EXPECT_FALSE(fit.warnings.empty());
  EXPECT_EQ(fit.mse, 0.0);
}

TEST(Codebook, SameSeedSameCodebook) {
  std::mt19937 rng(4);
  const auto x = gaussian(rng, 3000, 4, 1.0f);
  const auto a = yono::learn_codebook(x, 4, 32, 99);
  const auto b = yono::learn_codebook(x, 4, 32, 99);
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_EQ(a.assignment, b.assignment);
}

TEST(Codebook, NoEmptyClusterWithHeavyDuplicates) {
  // Many copies of few points plus some spread: k-means tends to leave
  // codewords on duplicated mass that end up empty after full assignment.
  std::mt19937 rng(5);
  std::vector<float> x;
  for (int i = 0; i < 3000; ++i) x.insert(x.end(), {0.0f, 0.0f});
  const auto spread = gaussian(rng, 200, 2, 3.0f);
  x.insert(x.end(), spread.begin(), spread.end());
  const auto fit = yono::learn_codebook(x, 2, 64, 3);
  EXPECT_EQ(fit.k, 64u);
  expect_no_empty_cluster(fit);
  expect_nearest(fit, x);
}

TEST(Codebook, NoEmptyClusterWhenOneVectorDominates) {
  // One vector repeated 100000 times and 69 rare ones, K = 64: both the seeding
  // subsample and FAISS's training sample see the rare ones too seldom and
  // place several codewords on the dominant vector, all but one of which end
  // up empty once every vector is assigned.
  std::mt19937 rng(6);
  std::vector<float> x;
  for (int i = 0; i < 100000; ++i) x.insert(x.end(), {0.5f, -0.5f});
  const auto rare = gaussian(rng, 69, 2, 4.0f);
  x.insert(x.end(), rare.begin(), rare.end());
  const auto fit = yono::learn_codebook(x, 2, 64, 11);
  EXPECT_EQ(fit.k, 64u);
  expect_no_empty_cluster(fit);
  expect_nearest(fit, x);
}

TEST(Codebook, RejectsBadInput) {
  EXPECT_THROW(yono::learn_codebook({}, 2, 4, 0), yono::Error);
  EXPECT_THROW(yono::learn_codebook({1, 2, 3}, 2, 4, 0), yono::Error);
  EXPECT_THROW(yono::learn_codebook({1, 2}, 0, 4, 0), yono::Error);
  EXPECT_THROW(yono::learn_codebook({1, 2}, 2, 0, 0), yono::Error);
  EXPECT_THROW(yono::learn_codebook({1, NAN}, 2, 1, 0), yono::Error);
}

}  // namespace
