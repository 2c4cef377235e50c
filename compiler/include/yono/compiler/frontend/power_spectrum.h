// The front end's only host-specific step: |FFT|^2 of one real frame.
// Kept behind this class so FFTW never appears in the portable front end.
#pragma once

#include <memory>

namespace yono::frontend {

class PowerSpectrum {
 public:
  explicit PowerSpectrum(int fft_size);  // plans once; size must be even
  ~PowerSpectrum();
  PowerSpectrum(const PowerSpectrum&) = delete;
  PowerSpectrum& operator=(const PowerSpectrum&) = delete;

  // frame: fft_size real values; power: fft_size / 2 + 1 values |X_k|^2.
  void compute(const float* frame, float* power);

 private:
  struct Plan;
  std::unique_ptr<Plan> plan_;
};

}  // namespace yono::frontend
