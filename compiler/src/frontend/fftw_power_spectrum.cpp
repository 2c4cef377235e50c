#include <fftw3.h>

#include <cstring>
#include <mutex>

#include "yono/compiler/error.h"
#include "yono/compiler/frontend/power_spectrum.h"

namespace yono::frontend {
namespace {
// FFTW's planner is not thread-safe; executing a plan is.
std::mutex planner_lock;
}  // namespace

struct PowerSpectrum::Plan {
  int size = 0;
  float* in = nullptr;
  fftwf_complex* out = nullptr;
  fftwf_plan plan = nullptr;
};

PowerSpectrum::PowerSpectrum(int fft_size) : plan_(std::make_unique<Plan>()) {
  if (fft_size < 2 || fft_size % 2 != 0) {
    throw Error("power spectrum: FFT size " + std::to_string(fft_size) + " is not even");
  }
  plan_->size = fft_size;
  plan_->in = fftwf_alloc_real(static_cast<size_t>(fft_size));
  plan_->out = fftwf_alloc_complex(static_cast<size_t>(fft_size / 2 + 1));
  std::lock_guard<std::mutex> hold(planner_lock);
  // FFTW_ESTIMATE: deterministic and instant; measuring would pick a different
  // algorithm run to run and perturb the last bits of the features.
  plan_->plan = fftwf_plan_dft_r2c_1d(fft_size, plan_->in, plan_->out, FFTW_ESTIMATE);
}

PowerSpectrum::~PowerSpectrum() {
  std::lock_guard<std::mutex> hold(planner_lock);
  if (plan_->plan != nullptr) fftwf_destroy_plan(plan_->plan);
  fftwf_free(plan_->in);
  fftwf_free(plan_->out);
}

void PowerSpectrum::compute(const float* frame, float* power) {
  std::memcpy(plan_->in, frame, static_cast<size_t>(plan_->size) * sizeof(float));
  fftwf_execute(plan_->plan);
  for (int k = 0; k <= plan_->size / 2; ++k) {
    power[k] = plan_->out[k][0] * plan_->out[k][0] + plan_->out[k][1] * plan_->out[k][1];
  }
}

}  // namespace yono::frontend
