// Host measurements for `yono bench switch`: a model switch inside a pack
// already in memory, against loading the target model's own pack from a
// file first. Medians over repetitions, in seconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "yono/compiler/measure/uncached_read.h"
#include "yono/pack.h"

namespace yono::measure {

struct SwitchPlan {
  const Pack* pack = nullptr;  // the multi-model pack, in memory
  uint32_t from = 0, to = 0;
  int repeat = 31;
};

struct InMemorySwitch {
  double switch_s = 0;            // Session::select(to), from a batch of switches
  double switch_infer_s = 0;      // select(to) + invoke(): the target's first output
  int batch = 0;                  // switches per timed batch (one select is below clock resolution)
  double switch_infer_min_s = 0;  // fastest repetition: the least disturbed by other processes
};

struct ModelFile {
  std::string path;  // the target model's single-model pack
  uint64_t bytes = 0;
  measure::UncachedMode mode = measure::UncachedMode::kDirect;
  size_t alignment = 4096;
};

struct FileSwitch {
  double read_s = 0;    // open + read the whole file, page cache bypassed
  double open_s = 0;    // Pack::open: validation, CRCs included
  double select_s = 0;  // Session::select on the freshly loaded pack
  double switch_s = 0;  // read + open + select (medians of the sum, not sums of medians)
  double switch_infer_s = 0;
  double switch_min_s = 0, switch_infer_min_s = 0;  // fastest repetitions
};

struct SwitchMeasurement {
  InMemorySwitch memory;
  FileSwitch file;
};

// Each repetition measures both paths back to back, in alternating order, so
// the noise of a shared machine falls on both alike. Throws yono::Error if
// the loaded model's output differs from the in-memory one (the two paths
// must compute the same thing to be compared).
SwitchMeasurement measure_switch(const SwitchPlan& plan, const ModelFile& file);

}  // namespace yono::measure
