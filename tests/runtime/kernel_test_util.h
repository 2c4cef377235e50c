// Helpers shared by the kernel tests: seeded random tensors and a max-abs
// comparison, so every test compares a kernel against a naive computation.
#pragma once

#include <float.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace yono::test {

inline std::vector<float> random_tensor(size_t n, uint32_t seed, float lo = -1.0f,
                                        float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Largest |a[i] - b[i]|; infinity when the sizes differ so a test cannot pass by accident.
inline double max_abs_diff(const std::vector<float>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (!(d <= worst)) worst = d;  // also catches NaN
  }
  return worst;
}

inline double clamp_d(double v, float lo, float hi) {
  return std::min(std::max(v, static_cast<double>(lo)), static_cast<double>(hi));
}

constexpr float kNoMin = -FLT_MAX;
constexpr float kNoMax = FLT_MAX;
constexpr double kTolerance = 1e-5;

}  // namespace yono::test
