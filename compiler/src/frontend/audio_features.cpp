#include "yono/compiler/frontend/audio_features.h"

#include "yono/compiler/error.h"

namespace yono::frontend {

AudioFeatures::AudioFeatures(const AudioFrontendConfig& config)
    : config_(config), fft_(config.frame_length) {
  const AudioFrontendConfig& c = config_;
  if (c.frame_length <= 0 || c.hop_length <= 0 || c.mel_bands <= 0 || c.mfcc_count < 0 ||
      c.mfcc_count > c.mel_bands || audio_frame_count(c) <= 0 || c.high_hz <= c.low_hz ||
      c.high_hz > c.sample_rate / 2.0f) {
    throw Error("audio front end: inconsistent configuration");
  }
  window_.resize(static_cast<size_t>(c.frame_length));
  filterbank_.resize(static_cast<size_t>(c.mel_bands * spectrum_bins(c)));
  dct_.resize(static_cast<size_t>(c.mfcc_count * c.mel_bands));
  make_hann_window(c, window_.data());
  make_mel_filterbank(c, filterbank_.data());
  make_dct_matrix(c, dct_.data());
  fitted_.resize(static_cast<size_t>(c.clip_samples));
  frame_.resize(static_cast<size_t>(c.frame_length));
  power_.resize(static_cast<size_t>(spectrum_bins(c)));
  log_mel_frame_.resize(static_cast<size_t>(c.mel_bands));
}

std::vector<int64_t> AudioFeatures::log_mel_dims() const {
  return {1, audio_frame_count(config_), config_.mel_bands};
}

std::vector<int64_t> AudioFeatures::mfcc_dims() const {
  return {1, audio_frame_count(config_), config_.mfcc_count};
}

void AudioFeatures::log_mel(const float* clip, size_t n, float* out) {
  fit_clip(config_, clip, n, fitted_.data());
  for (int f = 0; f < audio_frame_count(config_); ++f) {
    window_frame(config_, fitted_.data(), f, window_.data(), frame_.data());
    fft_.compute(frame_.data(), power_.data());
    log_mel_from_power(config_, power_.data(), filterbank_.data(), out + f * config_.mel_bands);
  }
}

void AudioFeatures::mfcc(const float* clip, size_t n, float* out) {
  fit_clip(config_, clip, n, fitted_.data());
  for (int f = 0; f < audio_frame_count(config_); ++f) {
    window_frame(config_, fitted_.data(), f, window_.data(), frame_.data());
    fft_.compute(frame_.data(), power_.data());
    log_mel_from_power(config_, power_.data(), filterbank_.data(), log_mel_frame_.data());
    mfcc_from_log_mel(config_, log_mel_frame_.data(), dct_.data(), out + f * config_.mfcc_count);
  }
}

}  // namespace yono::frontend
