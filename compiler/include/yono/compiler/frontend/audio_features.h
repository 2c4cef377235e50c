// Host driver for the audio front end: owns the tables and the FFT plan and
// turns whole clips into feature maps for training and evaluation.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/frontend/audio_frontend.h"
#include "yono/compiler/frontend/power_spectrum.h"

namespace yono::frontend {

class AudioFeatures {
 public:
  explicit AudioFeatures(const AudioFrontendConfig& config = {});

  const AudioFrontendConfig& config() const { return config_; }
  std::vector<int64_t> log_mel_dims() const;  // {1, frames, mel_bands}
  std::vector<int64_t> mfcc_dims() const;     // {1, frames, mfcc_count}

  // clip: n samples of any length (fitted to clip_samples, centred).
  // out: product(log_mel_dims()) / product(mfcc_dims()) values, frame-major.
  void log_mel(const float* clip, size_t n, float* out);
  void mfcc(const float* clip, size_t n, float* out);

 private:
  AudioFrontendConfig config_;
  std::vector<float> window_, filterbank_, dct_;
  std::vector<float> fitted_, frame_, power_, log_mel_frame_;
  PowerSpectrum fft_;
};

}  // namespace yono::frontend
