#include "yono/compiler/data/image_resize.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace yono::data {
namespace {

struct Tap {
  int index;
  float weight;
};

// The input taps of every output index along one axis; both passes of the
// separable resize use them.
std::vector<std::vector<Tap>> axis_taps(int in, int out) {
  std::vector<std::vector<Tap>> taps(static_cast<size_t>(out));
  const double scale = static_cast<double>(in) / out;
  for (int i = 0; i < out; ++i) {
    std::vector<Tap>& t = taps[static_cast<size_t>(i)];
    if (out < in) {
      // Area: the input cells overlapping [i * scale, (i + 1) * scale).
      const double lo = i * scale, hi = (i + 1) * scale;
      for (int j = static_cast<int>(std::floor(lo)); j < in && j < hi; ++j) {
        const double overlap = std::min<double>(j + 1, hi) - std::max<double>(j, lo);
        if (overlap > 0) t.push_back({j, static_cast<float>(overlap / scale)});
      }
    } else {
      // Bilinear with aligned pixel centres; at equal sizes x == i exactly.
      const double x = std::clamp((i + 0.5) * scale - 0.5, 0.0, static_cast<double>(in - 1));
      const int j0 = static_cast<int>(std::floor(x));
      const int j1 = std::min(j0 + 1, in - 1);
      const float f = static_cast<float>(x - j0);
      t.push_back({j0, 1.0f - f});
      if (j1 != j0 && f > 0) t.push_back({j1, f});
    }
  }
  return taps;
}

}  // namespace

void resize_plane(const float* in, int in_h, int in_w, float* out, int out_h, int out_w) {
  const auto rows = axis_taps(in_h, out_h), cols = axis_taps(in_w, out_w);
  // Columns first (in_h x out_w), then rows.
  std::vector<float> wide(static_cast<size_t>(in_h) * out_w);
  for (int y = 0; y < in_h; ++y) {
    const float* src = in + static_cast<size_t>(y) * in_w;
    for (int x = 0; x < out_w; ++x) {
      float sum = 0.f;
      for (const Tap& t : cols[static_cast<size_t>(x)]) sum += t.weight * src[t.index];
      wide[static_cast<size_t>(y) * out_w + x] = sum;
    }
  }
  for (int y = 0; y < out_h; ++y) {
    float* dst = out + static_cast<size_t>(y) * out_w;
    std::fill(dst, dst + out_w, 0.f);
    for (const Tap& t : rows[static_cast<size_t>(y)]) {
      const float* src = wide.data() + static_cast<size_t>(t.index) * out_w;
      for (int x = 0; x < out_w; ++x) dst[x] += t.weight * src[x];
    }
  }
}

}  // namespace yono::data
