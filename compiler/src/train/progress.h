// A one-line progress bar on stderr, redrawn at most a few times a second so
// a long run does not flood a log file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace yono::train {

class Progress {
 public:
  Progress(bool enabled, int epochs, int64_t steps_per_epoch, int64_t total_steps);
  void step(int epoch, int64_t step_in_epoch, double loss, double accuracy);
  void end_epoch(const std::string& summary);  // final line of the epoch, kept

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  int epochs_;
  int64_t steps_per_epoch_, total_steps_, done_ = 0;
  Clock::time_point start_, last_draw_;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "12s"

}  // namespace yono::train
