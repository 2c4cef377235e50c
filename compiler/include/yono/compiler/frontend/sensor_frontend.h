// Sensor front end: a recording of interleaved accelerometer samples (time-major,
// `axes` values per sample, in g) -> fixed windows, channel-first {axes, window}
// so a Conv1d/Conv2d consumes them like image channels. Allocation-free and
// <math.h>-only so it can move into runtime/.
#pragma once

#include <stddef.h>

namespace yono::frontend {

struct SensorFrontendConfig {
  int window = 96;  // samples per window (3 s at 32 Hz)
  int hop = 48;     // 50 % overlap
  int axes = 3;
  float full_scale_g = 1.5f;  // sensor range is +-full_scale_g
  bool normalise = true;      // divide by full_scale_g so values lie in [-1, 1]
};

// Number of whole windows in a recording of `samples` samples (0 if shorter than one).
int sensor_window_count(const SensorFrontendConfig& c, size_t samples);

// Window `index` of recording (samples x axes) into out (axes x window).
void sensor_window(const SensorFrontendConfig& c, const float* recording, int index, float* out);

}  // namespace yono::frontend
