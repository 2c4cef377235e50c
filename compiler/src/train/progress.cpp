#include "progress.h"

#include <algorithm>
#include <cstdio>

namespace yono::train {

std::string format_duration(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

Progress::Progress(bool enabled, int epochs, int64_t steps_per_epoch, int64_t total_steps)
    : enabled_(enabled),
      epochs_(epochs),
      steps_per_epoch_(steps_per_epoch),
      total_steps_(total_steps),
      start_(Clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

void Progress::step(int epoch, int64_t step_in_epoch, double loss, double accuracy) {
  ++done_;
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(250) && step_in_epoch != steps_per_epoch_)
    return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta =
      elapsed / static_cast<double>(done_) * static_cast<double>(total_steps_ - done_);
  constexpr int kWidth = 20;
  const int filled =
      static_cast<int>(kWidth * step_in_epoch / std::max<int64_t>(1, steps_per_epoch_));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr,
               "\r%s%sepoch %d/%d [%s] %lld/%lld loss %.4f acc %5.1f%% %.0f ms/step ETA %s   ",
               label_.c_str(), label_.empty() ? "" : " ", epoch, epochs_, bar.c_str(),
               static_cast<long long>(step_in_epoch), static_cast<long long>(steps_per_epoch_),
               loss, 100.0 * accuracy, 1000.0 * elapsed / static_cast<double>(done_),
               format_duration(eta).c_str());
  std::fflush(stderr);
}

void Progress::end_epoch(const std::string& summary) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r%-100s\n", summary.c_str());
  std::fflush(stderr);
}

CountProgress::CountProgress(bool enabled, std::string label, int64_t total)
    : enabled_(enabled && total > 0),
      label_(std::move(label)),
      total_(total),
      start_(Clock::now()),
      last_draw_(start_) {}

void CountProgress::update(int64_t done) {
  if (!enabled_) return;
  const auto now = Clock::now();
  // The first draw after half a second: a quick job prints nothing.
  if (now - last_draw_ < std::chrono::milliseconds(drawn_ ? 250 : 500) && done != total_) return;
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double per_item = done > 0 ? elapsed / static_cast<double>(done) : 0.0;
  constexpr int kWidth = 20;
  const int filled = static_cast<int>(kWidth * done / total_);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r%s [%s] %lld/%lld %.2f ms/sample ETA %s   ", label_.c_str(), bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(total_), 1000.0 * per_item,
               format_duration(per_item * static_cast<double>(total_ - done)).c_str());
  std::fflush(stderr);
}

void CountProgress::finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r%-100s\r", "");
  std::fflush(stderr);
}

}  // namespace yono::train
