// A one-line progress bar on stderr, redrawn at most a few times a second so
// a long run does not flood a log file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace yono::train {

class Progress {
 public:
  Progress(bool enabled, int epochs, int64_t steps_per_epoch, int64_t total_steps);
  void step(int epoch, int64_t step_in_epoch, double loss, double accuracy);
  void end_epoch(const std::string& summary);  // final line of the epoch, kept
  // Shown before "epoch": what is running when a job has several phases or
  // models (fine-tuning: "finetune fashion-mnist+cifar10").
  void set_label(std::string label) { label_ = std::move(label); }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::string label_;
  int epochs_;
  int64_t steps_per_epoch_, total_steps_, done_ = 0;
  Clock::time_point start_, last_draw_;
};

// A count of items done out of a total (evaluation: samples), e.g.
// "eval cifar10 [#######.............] 3500/10000 0.41 ms/sample ETA 3s".
// update() is called from one thread; the count may come from several.
class CountProgress {
 public:
  CountProgress(bool enabled, std::string label, int64_t total);
  void update(int64_t done);
  void finish();  // clears the line

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::string label_;
  int64_t total_;
  bool drawn_ = false;
  Clock::time_point start_, last_draw_;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "12s"

}  // namespace yono::train
