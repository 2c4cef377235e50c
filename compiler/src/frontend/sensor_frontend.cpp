#include "yono/compiler/frontend/sensor_frontend.h"

namespace yono::frontend {

int sensor_window_count(const SensorFrontendConfig& c, size_t samples) {
  const size_t window = static_cast<size_t>(c.window);
  if (samples < window) return 0;
  return static_cast<int>(1 + (samples - window) / static_cast<size_t>(c.hop));
}

void sensor_window(const SensorFrontendConfig& c, const float* recording, int index, float* out) {
  const float scale = c.normalise ? 1.0f / c.full_scale_g : 1.0f;
  const float* start = recording + static_cast<size_t>(index) * c.hop * c.axes;
  for (int a = 0; a < c.axes; ++a) {
    for (int t = 0; t < c.window; ++t) out[a * c.window + t] = start[t * c.axes + a] * scale;
  }
}

}  // namespace yono::frontend
