#include "yono/compiler/frontend/sensor_frontend.h"

#include <math.h>

namespace yono::frontend {
namespace {

int clamp_index(int t, int n) {
  return t < 0 ? 0 : (t >= n ? n - 1 : t);
}

// Centred moving average of `len` (odd) samples with replicated edges, as a
// running sum: one add and one subtract per sample whatever the length.
void moving_average(const float* in, int n, int len, float* out) {
  const int half = len / 2;
  float sum = 0.f;
  for (int k = -half; k <= half; ++k) sum += in[clamp_index(k, n)];
  const float inv = 1.0f / static_cast<float>(len);
  for (int t = 0; t < n; ++t) {
    out[t] = sum * inv;
    sum += in[clamp_index(t + half + 1, n)] - in[clamp_index(t - half, n)];
  }
}

}  // namespace

int sensor_channels(const SensorFrontendConfig& c) {
  return c.axes * (c.gravity_window > 0 ? 2 : 1) + (c.magnitude ? 1 : 0);
}

int sensor_window_count(const SensorFrontendConfig& c, size_t samples) {
  const size_t window = static_cast<size_t>(c.window);
  if (samples == 0) return 0;
  if (samples < window) return 1;  // padded, see sensor_window
  return static_cast<int>(1 + (samples - window) / static_cast<size_t>(c.hop));
}

void sensor_window(const SensorFrontendConfig& c, const float* recording, size_t samples, int index,
                   float* out) {
  const float scale = c.normalise ? 1.0f / c.full_scale_g : 1.0f;
  const size_t first = static_cast<size_t>(index) * static_cast<size_t>(c.hop);
  const float* start = recording + first * static_cast<size_t>(c.axes);
  const int n = c.window;
  // A recording shorter than a window repeats its last sample (the wrist
  // holds still), so short recordings still count instead of vanishing.
  const int available = static_cast<int>(
      samples - first < static_cast<size_t>(n) ? samples - first : static_cast<size_t>(n));
  auto sample = [&](int t, int a) {
    return start[(t < available ? t : available - 1) * c.axes + a];
  };
  // With the gravity split the raw axes land in the dynamic planes first, so
  // the average can read them while it fills the gravity planes.
  const int raw_plane = c.gravity_window > 0 ? c.axes : 0;
  for (int a = 0; a < c.axes; ++a) {
    float* raw = out + (raw_plane + a) * n;
    for (int t = 0; t < n; ++t) raw[t] = sample(t, a) * scale;
  }
  if (c.gravity_window > 0) {
    for (int a = 0; a < c.axes; ++a) {
      float* gravity = out + a * n;
      float* dynamic = out + (c.axes + a) * n;
      moving_average(dynamic, n, c.gravity_window, gravity);
      for (int t = 0; t < n; ++t) dynamic[t] -= gravity[t];
    }
  }
  if (c.magnitude) {
    float* magnitude = out + (sensor_channels(c) - 1) * n;
    for (int t = 0; t < n; ++t) {
      float sq = 0.f;
      for (int a = 0; a < c.axes; ++a) sq += sample(t, a) * sample(t, a);
      magnitude[t] = sqrtf(sq) * scale;
    }
  }
}

}  // namespace yono::frontend
