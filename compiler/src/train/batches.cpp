#include "batches.h"

#include <algorithm>
#include <cmath>

namespace yono::train {

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Rng::uniform() {
  return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
}

int64_t Rng::between(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
}

double Rng::gaussian() {  // Box-Muller
  const double u1 = 1.0 - uniform(), u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

float sample_std(const data::Dataset& d) {
  if (d.samples.empty()) return 0.f;
  double sum = 0, sq = 0;
  for (float v : d.samples) {
    sum += v;
    sq += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(d.samples.size());
  const double mean = sum / n;
  return static_cast<float>(std::sqrt(std::max(0.0, sq / n - mean * mean)));
}

namespace {

// Views a sample as planes x rows x cols: {C,H,W} images and spectrograms,
// {C,L} sequences as C planes of 1 x L.
struct Layout {
  int64_t planes, rows, cols;
};

Layout layout_of(const std::vector<int64_t>& dims) {
  if (dims.size() == 3) return {dims[0], dims[1], dims[2]};
  if (dims.size() == 2) return {dims[0], 1, dims[1]};
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return {1, 1, n};
}

// Images: shift (zero fill, i.e. crop from a zero-padded image) and flip.
void shift_image(const float* src, float* dst, Layout l, int64_t dy, int64_t dx, bool flip) {
  for (int64_t p = 0; p < l.planes; ++p)
    for (int64_t y = 0; y < l.rows; ++y)
      for (int64_t x = 0; x < l.cols; ++x) {
        const int64_t sy = y + dy, sx0 = x + dx;
        const int64_t sx = flip ? l.cols - 1 - sx0 : sx0;
        const bool inside = sy >= 0 && sy < l.rows && sx0 >= 0 && sx0 < l.cols;
        dst[(p * l.rows + y) * l.cols + x] = inside ? src[(p * l.rows + sy) * l.cols + sx] : 0.f;
      }
}

// Time is sample dim 1: rows of a {C,T,F} spectrogram, cols of a {C,L}
// sequence. Edges are replicated: zero is neither silence in log-mel nor
// rest in g (gravity is always there).
void shift_time(const float* src, float* dst, Layout l, int64_t dt) {
  const bool time_is_rows = l.rows > 1;
  const int64_t steps = time_is_rows ? l.rows : l.cols;
  for (int64_t p = 0; p < l.planes; ++p)
    for (int64_t y = 0; y < l.rows; ++y)
      for (int64_t x = 0; x < l.cols; ++x) {
        const int64_t t = std::clamp((time_is_rows ? y : x) + dt, int64_t{0}, steps - 1);
        const int64_t sy = time_is_rows ? t : y, sx = time_is_rows ? x : t;
        dst[(p * l.rows + y) * l.cols + x] = src[(p * l.rows + sy) * l.cols + sx];
      }
}

}  // namespace

void assemble_batch(const data::Dataset& d, const std::vector<size_t>& indices,
                    const Augmentation& aug, float noise_std, Rng& rng, std::vector<float>& out,
                    std::vector<int64_t>& labels) {
  const size_t numel = d.sample_numel();
  const Layout l = layout_of(d.sample_dims);
  out.resize(indices.size() * numel);
  labels.resize(indices.size());
  for (size_t b = 0; b < indices.size(); ++b) {
    const float* src = d.sample(indices[b]);
    float* dst = out.data() + b * numel;
    labels[b] = d.labels[indices[b]];
    if (aug.shift_time_only && aug.max_shift > 0) {
      shift_time(src, dst, l, rng.between(-aug.max_shift, aug.max_shift));
    } else if (aug.max_shift > 0 || aug.horizontal_flip) {
      const int64_t dy = rng.between(-aug.max_shift, aug.max_shift);
      const int64_t dx = rng.between(-aug.max_shift, aug.max_shift);
      const bool flip = aug.horizontal_flip && (rng.next() & 1u);
      shift_image(src, dst, l, dy, dx, flip);
    } else {
      std::copy(src, src + numel, dst);
    }
    if (noise_std > 0.f)
      for (size_t i = 0; i < numel; ++i) dst[i] += static_cast<float>(rng.gaussian()) * noise_std;
  }
}

}  // namespace yono::train
