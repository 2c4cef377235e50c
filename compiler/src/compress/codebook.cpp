// Shared-codebook k-means. FAISS does the Lloyd iterations; the rest is what
// a pack needs and FAISS does not promise: every vector (not just FAISS's
// training subsample) gets its nearest codeword, no codeword is wasted on an
// empty cluster, and the result is reproducible from the seed.
#include "yono/compiler/compress/codebook.h"

#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <random>

#include "yono/compiler/error.h"

namespace yono {

double squared_distance(const float* a, const float* b, uint32_t dim) {
  double sum = 0.0;
  for (uint32_t l = 0; l < dim; ++l) {
    const double d = static_cast<double>(a[l]) - static_cast<double>(b[l]);
    sum += d * d;
  }
  return sum;
}

namespace {

// Multi-threaded BLAS/OpenMP reductions may sum in a different order from run
// to run; one thread makes the same seed give the same codebook.
class SingleThreadScope {
 public:
  SingleThreadScope() : saved_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~SingleThreadScope() { omp_set_num_threads(saved_); }
  SingleThreadScope(const SingleThreadScope&) = delete;
  SingleThreadScope& operator=(const SingleThreadScope&) = delete;

 private:
  int saved_;
};

// Indices of the distinct vectors, in lexicographic order of their values.
std::vector<size_t> distinct_vectors(const std::vector<float>& x, uint32_t dim, size_t n) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  auto row = [&](size_t i) { return x.data() + i * dim; };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::lexicographical_compare(row(a), row(a) + dim, row(b), row(b) + dim);
  });
  auto same = [&](size_t a, size_t b) { return std::equal(row(a), row(a) + dim, row(b)); };
  order.erase(std::unique(order.begin(), order.end(), same), order.end());
  return order;
}

// Uniform double in [0, 1) from the raw generator output: unlike
// std::uniform_real_distribution its result is pinned down by the standard.
double unit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// k-means++ seeding on a subsample. FAISS starts from k random vectors, which
// routinely puts two seeds in one dense region and none in another and
// Lloyd iterations rarely recover; D^2 sampling spreads the seeds out. The
// subsample bounds the O(m * k * dim) cost for large layers.
std::vector<float> seed_centroids(const std::vector<float>& x, uint32_t dim, size_t n, uint32_t k,
                                  std::mt19937_64& rng) {
  const size_t m = std::min(n, size_t{16} * k);
  std::vector<size_t> pick(n);
  std::iota(pick.begin(), pick.end(), size_t{0});
  for (size_t i = 0; i < m; ++i) {  // partial Fisher-Yates: first m are a uniform sample
    std::swap(pick[i], pick[i + static_cast<size_t>(unit(rng) * static_cast<double>(n - i))]);
  }
  pick.resize(m);
  auto row = [&](size_t s) { return x.data() + pick[s] * dim; };

  std::vector<float> centroids;
  centroids.reserve(size_t{k} * dim);
  std::vector<double> nearest(m, INFINITY);
  size_t chosen = static_cast<size_t>(unit(rng) * static_cast<double>(m));
  for (uint32_t c = 0; c < k; ++c) {
    centroids.insert(centroids.end(), row(chosen), row(chosen) + dim);
    double total = 0.0;
    for (size_t s = 0; s < m; ++s) {
      nearest[s] = std::min(nearest[s], squared_distance(row(s), row(chosen), dim));
      total += nearest[s];
    }
    if (!(total > 0.0)) {  // sample exhausted: fall back to uniform picks
      chosen = static_cast<size_t>(unit(rng) * static_cast<double>(m));
      continue;
    }
    double target = unit(rng) * total;
    chosen = m - 1;
    for (size_t s = 0; s < m; ++s) {
      target -= nearest[s];
      if (target < 0.0) {
        chosen = s;
        break;
      }
    }
  }
  return centroids;
}

void run_kmeans(CodebookFit& fit, const std::vector<float>& x, size_t n, uint64_t seed,
                int iterations) {
  faiss::ClusteringParameters cp;
  cp.niter = iterations;
  cp.nredo = 1;
  cp.verbose = false;
  cp.seed = static_cast<int>((seed ^ (seed >> 32)) & 0x7FFFFFFFu);
  // FAISS prints its own under-sampling warning to stderr; we report it instead.
  cp.min_points_per_centroid = 1;
  if (n < size_t{39} * fit.k) {
    fit.warnings.push_back(fmt::format(
        "codebook: only {} sub-vectors for {} codewords; codewords may fit noise", n, fit.k));
  }
  faiss::Clustering clustering(static_cast<int>(fit.dim), fit.k, cp);
  std::mt19937_64 rng(seed);
  clustering.centroids = seed_centroids(x, fit.dim, n, fit.k, rng);  // FAISS starts from these
  faiss::IndexFlatL2 index(fit.dim);
  clustering.train(static_cast<faiss::Index::idx_t>(n), x.data(), index);
  fit.centroids = clustering.centroids;

  // FAISS trained on a subsample; assign every vector against the final centroids.
  faiss::IndexFlatL2 assign(fit.dim);
  assign.add(fit.k, fit.centroids.data());
  std::vector<float> distances(n);
  std::vector<faiss::Index::idx_t> labels(n);
  assign.search(static_cast<faiss::Index::idx_t>(n), x.data(), 1, distances.data(), labels.data());
  fit.assignment.resize(n);
  for (size_t i = 0; i < n; ++i) fit.assignment[i] = static_cast<uint32_t>(labels[i]);
}

// Gives each empty centroid the vector farthest from its centroid in the
// cluster with the largest squared error, then lets every vector move to it if
// closer. That vector's error drops to 0 and no error grows, so the total
// strictly decreases and the loop ends; nearest-centroid assignment is kept.
void fill_empty_clusters(CodebookFit& fit, const std::vector<float>& x, size_t n) {
  const uint32_t dim = fit.dim;
  auto row = [&](size_t i) { return x.data() + i * dim; };
  auto centroid = [&](uint32_t c) { return fit.centroids.data() + size_t{c} * dim; };
  std::vector<double> dist(n);
  for (size_t i = 0; i < n; ++i)
    dist[i] = squared_distance(row(i), centroid(fit.assignment[i]), dim);
  for (;;) {
    // Recounted from scratch each round so rounding never makes a
    // single-point cluster look splittable.
    std::vector<size_t> count(fit.k, 0);
    std::vector<double> sse(fit.k, 0.0);
    for (size_t i = 0; i < n; ++i) {
      ++count[fit.assignment[i]];
      sse[fit.assignment[i]] += dist[i];
    }
    const auto empty = std::find(count.begin(), count.end(), size_t{0});
    if (empty == count.end()) return;
    const auto e = static_cast<uint32_t>(empty - count.begin());
    const auto worst =
        static_cast<uint32_t>(std::max_element(sse.begin(), sse.end()) - sse.begin());
    if (!(sse[worst] > 0.0)) {
      fit.warnings.push_back(
          fmt::format("codebook: {} codewords left unused: every vector already equals one",
                      std::count(count.begin(), count.end(), size_t{0})));
      return;
    }
    size_t far = n;
    for (size_t i = 0; i < n; ++i) {
      if (fit.assignment[i] == worst && (far == n || dist[i] > dist[far])) far = i;
    }
    std::copy_n(row(far), dim, fit.centroids.data() + size_t{e} * dim);
    for (size_t i = 0; i < n; ++i) {
      const double d = squared_distance(row(i), centroid(e), dim);
      if (d < dist[i] || i == far) {
        fit.assignment[i] = e;
        dist[i] = d;
      }
    }
  }
}

}  // namespace

CodebookFit learn_codebook(const std::vector<float>& vectors, uint32_t dim, uint32_t k,
                           uint64_t seed, int iterations) {
  if (dim == 0 || k == 0) {
    throw Error(
        fmt::format("codebook: dimension ({}) and codeword count ({}) must be positive", dim, k));
  }
  if (vectors.empty() || vectors.size() % dim != 0) {
    throw Error(fmt::format("codebook: {} values do not form a non-empty set of {}-vectors",
                            vectors.size(), dim));
  }
  if (iterations < 1) throw Error(fmt::format("codebook: {} iterations requested", iterations));
  for (float v : vectors) {
    if (!std::isfinite(v)) throw Error("codebook: weights contain NaN or infinity");
  }
  const size_t n = vectors.size() / dim;

  CodebookFit fit;
  fit.dim = dim;
  fit.k = k;
  const std::vector<size_t> distinct = distinct_vectors(vectors, dim, n);
  if (distinct.size() <= k) {
    // Every distinct vector can be its own codeword: exact, no k-means needed.
    if (distinct.size() < k) {
      fit.warnings.push_back(
          fmt::format("codebook: {} codewords requested but only {} distinct sub-vectors; using {}",
                      k, distinct.size(), distinct.size()));
    }
    fit.k = static_cast<uint32_t>(distinct.size());
    for (size_t i : distinct) {
      fit.centroids.insert(fit.centroids.end(), vectors.begin() + i * dim,
                           vectors.begin() + (i + 1) * dim);
    }
    // Exact lookup: a BLAS distance could confuse two nearly equal vectors.
    auto less = [&](const float* a, const float* b) {
      return std::lexicographical_compare(a, a + dim, b, b + dim);
    };
    fit.assignment.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const float* v = vectors.data() + i * dim;
      uint32_t lo = 0, hi = fit.k;  // first centroid not less than v
      while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        if (less(fit.centroids.data() + size_t{mid} * dim, v))
          lo = mid + 1;
        else
          hi = mid;
      }
      fit.assignment[i] = lo;
    }
  } else {
    SingleThreadScope one_thread;
    try {
      run_kmeans(fit, vectors, n, seed, iterations);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Error(fmt::format("codebook: k-means failed: {}", e.what()));
    }
  }
  fill_empty_clusters(fit, vectors, n);

  double total = 0.0;
  for (size_t i = 0; i < n; ++i) {
    total += squared_distance(vectors.data() + i * dim,
                              fit.centroids.data() + size_t{fit.assignment[i]} * dim, dim);
  }
  fit.mse = total / (static_cast<double>(n) * dim);
  return fit;
}

}  // namespace yono
