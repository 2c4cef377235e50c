// Audio front end: fixed-length clip -> log-mel spectrogram (or MFCC).
//
// Written to move into runtime/ unchanged: a config of fixed sizes, tables
// precomputed into caller-provided arrays, per-frame steps that never
// allocate and use only <math.h>. The FFT is the one host-specific step
// (see power_spectrum.h); on a device it becomes CMSIS-DSP's rfft.
//
// The defaults give 49 frames x 40 mel bands for a 1 s clip at 8 kHz:
// 32 ms frames (256 samples, one FFT) every 20 ms (160 samples).
#pragma once

#include <stddef.h>

namespace yono::frontend {

struct AudioFrontendConfig {
  int sample_rate = 8000;
  int clip_samples = 8000;  // every clip is centred and padded/cropped to this
  int frame_length = 256;   // also the FFT size; a power of two
  int hop_length = 160;
  int mel_bands = 40;
  int mfcc_count = 13;
  float low_hz = 20.0f;
  float high_hz = 4000.0f;    // at most sample_rate / 2
  float power_floor = 1e-6f;  // log(max(power, floor)) keeps silence finite
};

int audio_frame_count(const AudioFrontendConfig& c);  // 1 + (clip - frame) / hop
int spectrum_bins(const AudioFrontendConfig& c);      // frame_length / 2 + 1

// Table sizes: window frame_length, filterbank mel_bands * spectrum_bins (row
// per band), dct mfcc_count * mel_bands (row per coefficient).
void make_hann_window(const AudioFrontendConfig& c, float* window);
void make_mel_filterbank(const AudioFrontendConfig& c, float* filterbank);
void make_dct_matrix(const AudioFrontendConfig& c, float* dct);

// Centre frequency of a mel band, in Hz (HTK mel scale).
float mel_band_centre_hz(const AudioFrontendConfig& c, int band);

// Copies clip (n samples) into out (clip_samples), centred: longer clips lose
// both ends equally, shorter ones get zeros on both sides.
void fit_clip(const AudioFrontendConfig& c, const float* clip, size_t n, float* out);

// Frame `index` of a fitted clip, multiplied by the window (frame_length values).
void window_frame(const AudioFrontendConfig& c, const float* fitted_clip, int index,
                  const float* window, float* out);

// Power spectrum (spectrum_bins values) -> natural-log mel energies (mel_bands values).
void log_mel_from_power(const AudioFrontendConfig& c, const float* power, const float* filterbank,
                        float* log_mel);

// Orthonormal DCT-II of the log-mel energies, first mfcc_count coefficients.
void mfcc_from_log_mel(const AudioFrontendConfig& c, const float* log_mel, const float* dct,
                       float* mfcc);

}  // namespace yono::frontend
