#include "yono/compiler/frontend/audio_frontend.h"

#include <math.h>
#include <string.h>

namespace yono::frontend {
namespace {

constexpr float kPi = 3.14159265358979f;

float hz_to_mel(float hz) {
  return 2595.0f * log10f(1.0f + hz / 700.0f);
}
float mel_to_hz(float mel) {
  return 700.0f * (powf(10.0f, mel / 2595.0f) - 1.0f);
}

// Edge i of the mel_bands + 2 equally spaced points on the mel scale; band b
// rises from edge b to edge b+1 and falls to edge b+2.
float mel_edge_hz(const AudioFrontendConfig& c, int i) {
  const float low = hz_to_mel(c.low_hz), high = hz_to_mel(c.high_hz);
  return mel_to_hz(low +
                   (high - low) * static_cast<float>(i) / static_cast<float>(c.mel_bands + 1));
}

}  // namespace

int audio_frame_count(const AudioFrontendConfig& c) {
  if (c.clip_samples < c.frame_length) return 0;
  return 1 + (c.clip_samples - c.frame_length) / c.hop_length;
}

int spectrum_bins(const AudioFrontendConfig& c) {
  return c.frame_length / 2 + 1;
}

void make_hann_window(const AudioFrontendConfig& c, float* window) {
  // Periodic Hann: overlapping frames at hop = N/2 would sum to a constant.
  for (int n = 0; n < c.frame_length; ++n) {
    window[n] =
        0.5f - 0.5f * cosf(2.0f * kPi * static_cast<float>(n) / static_cast<float>(c.frame_length));
  }
}

float mel_band_centre_hz(const AudioFrontendConfig& c, int band) {
  return mel_edge_hz(c, band + 1);
}

void make_mel_filterbank(const AudioFrontendConfig& c, float* filterbank) {
  const int bins = spectrum_bins(c);
  const float bin_hz = static_cast<float>(c.sample_rate) / static_cast<float>(c.frame_length);
  for (int b = 0; b < c.mel_bands; ++b) {
    const float left = mel_edge_hz(c, b), centre = mel_edge_hz(c, b + 1),
                right = mel_edge_hz(c, b + 2);
    for (int k = 0; k < bins; ++k) {
      const float f = static_cast<float>(k) * bin_hz;
      const float rising = (f - left) / (centre - left);
      const float falling = (right - f) / (right - centre);
      const float w = rising < falling ? rising : falling;
      filterbank[b * bins + k] = w > 0.0f ? w : 0.0f;
    }
  }
}

void make_dct_matrix(const AudioFrontendConfig& c, float* dct) {
  const float m = static_cast<float>(c.mel_bands);
  for (int k = 0; k < c.mfcc_count; ++k) {
    const float scale = k == 0 ? sqrtf(1.0f / m) : sqrtf(2.0f / m);
    for (int n = 0; n < c.mel_bands; ++n) {
      dct[k * c.mel_bands + n] =
          scale * cosf(kPi * static_cast<float>(k) * (static_cast<float>(n) + 0.5f) / m);
    }
  }
}

void fit_clip(const AudioFrontendConfig& c, const float* clip, size_t n, float* out) {
  const size_t want = static_cast<size_t>(c.clip_samples);
  if (n >= want) {
    memcpy(out, clip + (n - want) / 2, want * sizeof(float));
    return;
  }
  const size_t before = (want - n) / 2;
  memset(out, 0, want * sizeof(float));
  if (n > 0) memcpy(out + before, clip, n * sizeof(float));
}

void window_frame(const AudioFrontendConfig& c, const float* fitted_clip, int index,
                  const float* window, float* out) {
  const float* start = fitted_clip + index * c.hop_length;
  for (int n = 0; n < c.frame_length; ++n) out[n] = start[n] * window[n];
}

void log_mel_from_power(const AudioFrontendConfig& c, const float* power, const float* filterbank,
                        float* log_mel) {
  const int bins = spectrum_bins(c);
  for (int b = 0; b < c.mel_bands; ++b) {
    const float* weights = filterbank + b * bins;
    float energy = 0.0f;
    for (int k = 0; k < bins; ++k) energy += weights[k] * power[k];
    log_mel[b] = logf(energy > c.power_floor ? energy : c.power_floor);
  }
}

void mfcc_from_log_mel(const AudioFrontendConfig& c, const float* log_mel, const float* dct,
                       float* mfcc) {
  for (int k = 0; k < c.mfcc_count; ++k) {
    float sum = 0.0f;
    for (int n = 0; n < c.mel_bands; ++n) sum += dct[k * c.mel_bands + n] * log_mel[n];
    mfcc[k] = sum;
  }
}

}  // namespace yono::frontend
