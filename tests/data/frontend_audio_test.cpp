#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "yono/compiler/frontend/audio_features.h"

namespace yono::frontend {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> sine(double hz, int rate, size_t n, double amplitude = 0.5) {
  std::vector<float> s(n);
  for (size_t i = 0; i < n; ++i)
    s[i] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * i / rate));
  return s;
}

TEST(AudioFrontend, DefaultShapeIs49FramesBy40Bands) {
  AudioFeatures f;
  EXPECT_EQ(f.log_mel_dims(), (std::vector<int64_t>{1, 49, 40}));
  EXPECT_EQ(f.mfcc_dims(), (std::vector<int64_t>{1, 49, 13}));
}

TEST(AudioFrontend, PowerSpectrumMatchesNaiveDft) {
  const int n = 64;
  std::vector<float> frame(n);
  for (int i = 0; i < n; ++i) frame[i] = static_cast<float>(std::cos(0.3 * i) + 0.1 * (i % 5));
  PowerSpectrum fft(n);
  std::vector<float> power(n / 2 + 1);
  fft.compute(frame.data(), power.data());
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> x = 0;
    for (int i = 0; i < n; ++i) x += double(frame[i]) * std::polar(1.0, -2 * kPi * k * i / n);
    EXPECT_NEAR(power[k], std::norm(x), 1e-3 * (1 + std::norm(x))) << k;
  }
}

TEST(AudioFrontend, EveryMelBandSeesSomeBin) {
  const AudioFrontendConfig c;
  std::vector<float> bank(static_cast<size_t>(c.mel_bands * spectrum_bins(c)));
  make_mel_filterbank(c, bank.data());
  for (int b = 0; b < c.mel_bands; ++b) {
    float sum = 0;
    for (int k = 0; k < spectrum_bins(c); ++k) sum += bank[b * spectrum_bins(c) + k];
    EXPECT_GT(sum, 0.0f) << "band " << b;
  }
}

TEST(AudioFrontend, SinePeaksInTheBandCentredNearestItsFrequency) {
  AudioFeatures f;
  const AudioFrontendConfig& c = f.config();
  for (double hz : {250.0, 1000.0, 2500.0}) {
    const auto clip = sine(hz, c.sample_rate, 8000);
    std::vector<float> out(49 * 40);
    f.log_mel(clip.data(), clip.size(), out.data());
    // Expected band from the mel centres alone (distance on the mel scale).
    auto mel = [](double x) { return 2595 * std::log10(1 + x / 700); };
    int expected = 0;
    for (int b = 1; b < c.mel_bands; ++b) {
      if (std::abs(mel(mel_band_centre_hz(c, b)) - mel(hz)) <
          std::abs(mel(mel_band_centre_hz(c, expected)) - mel(hz))) {
        expected = b;
      }
    }
    const float* frame = out.data() + 24 * 40;  // a frame in the middle
    const int peak = static_cast<int>(std::max_element(frame, frame + 40) - frame);
    EXPECT_EQ(peak, expected) << hz << " Hz";
  }
}

TEST(AudioFrontend, SilenceGivesFiniteFloorValuedFeatures) {
  AudioFeatures f;
  const std::vector<float> silence(8000, 0.0f);
  std::vector<float> log_mel(49 * 40), mfcc(49 * 13);
  f.log_mel(silence.data(), silence.size(), log_mel.data());
  f.mfcc(silence.data(), silence.size(), mfcc.data());
  for (float v : log_mel) EXPECT_FLOAT_EQ(v, std::log(f.config().power_floor));
  for (float v : mfcc) EXPECT_TRUE(std::isfinite(v));
  // A constant log-mel frame has all its energy in the DC coefficient.
  EXPECT_NEAR(mfcc[0], std::log(f.config().power_floor) * std::sqrt(40.0f), 1e-3);
  EXPECT_NEAR(mfcc[1], 0.0f, 1e-3);
}

TEST(AudioFrontend, MfccIsTheDctOfLogMel) {
  AudioFeatures f;
  const auto clip = sine(700, 8000, 6000);
  std::vector<float> log_mel(49 * 40), mfcc(49 * 13);
  f.log_mel(clip.data(), clip.size(), log_mel.data());
  f.mfcc(clip.data(), clip.size(), mfcc.data());
  for (int frame : {0, 30}) {
    for (int k = 0; k < 13; ++k) {
      double sum = 0;
      for (int n = 0; n < 40; ++n)
        sum += log_mel[frame * 40 + n] * std::cos(kPi * k * (n + 0.5) / 40);
      sum *= k == 0 ? std::sqrt(1.0 / 40) : std::sqrt(2.0 / 40);
      EXPECT_NEAR(mfcc[frame * 13 + k], sum, 1e-3 * (1 + std::abs(sum)));
    }
  }
}

TEST(AudioFrontend, ShortAndLongClipsAreCentred) {
  AudioFrontendConfig c;
  c.clip_samples = 6;
  const float shorter[] = {1, 2};
  const float longer[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  float out[6];
  fit_clip(c, shorter, 2, out);
  EXPECT_EQ(std::vector<float>(out, out + 6), (std::vector<float>{0, 0, 1, 2, 0, 0}));
  fit_clip(c, longer, 10, out);
  EXPECT_EQ(std::vector<float>(out, out + 6), (std::vector<float>{3, 4, 5, 6, 7, 8}));
}

TEST(AudioFrontend, OutputShapeIsFixedWhateverTheClipLength) {
  AudioFeatures f;
  for (size_t n : {size_t{0}, size_t{100}, size_t{5000}, size_t{8000}, size_t{20000}}) {
    const auto clip = sine(440, 8000, n);
    // One guard value past the end must stay untouched.
    std::vector<float> out(49 * 40 + 1, 12345.0f);
    f.log_mel(clip.data(), clip.size(), out.data());
    EXPECT_EQ(out.back(), 12345.0f) << n;
    for (size_t i = 0; i + 1 < out.size(); ++i) ASSERT_TRUE(std::isfinite(out[i])) << n;
  }
}

}  // namespace
}  // namespace yono::frontend
