// Sensor front end: a recording of interleaved accelerometer samples (time-major,
// `axes` values per sample, in g) -> fixed windows, channel-first {channels, window}
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
  // > 0 (odd): replace the raw axes by gravity (a centred moving average of
  // this many samples inside the window, edges replicated) followed by the
  // dynamic part (raw - gravity): wrist orientation and motion separate.
  int gravity_window = 0;
  bool magnitude = false;  // append |a| (orientation-free intensity) as a last channel
};

// Channels per window: axes, 2 * axes with the gravity split, +1 with the magnitude.
int sensor_channels(const SensorFrontendConfig& c);

// Number of whole windows in a recording of `samples` samples; a non-empty
// recording shorter than one window still gives one (padded) window.
int sensor_window_count(const SensorFrontendConfig& c, size_t samples);

// Window `index` of recording (samples x axes) into out (channels x window);
// past the end of a short recording its last sample repeats.
void sensor_window(const SensorFrontendConfig& c, const float* recording, size_t samples, int index,
                   float* out);

}  // namespace yono::frontend
