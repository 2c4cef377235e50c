// fw_check's judgement (`./run firmware-test`): what a device printed
// against what the host runtime computes for the same inputs, every output
// of every round. Kept apart from the QEMU and Session plumbing so the rule
// itself is unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/measure/firmware_report.h"

namespace yono::measure {

struct ModelVerdict {
  std::string name;
  bool ok = false;
  uint64_t values = 0;   // device values compared, over all rounds and outputs
  double worst_rel = 0;  // max |device - host| / max(1e-3, |host|)
  std::string problem;   // why not ok; empty when ok
};

// host[m][k] is model m's output k computed on the host; names[m] its name.
// A model passes when the device reported `rounds` rounds, each holding
// every host output with the same element count, and no value is NaN on
// either side or differs by more than `tolerance` relative to the host's
// scale (values near zero use 1e-3, so they do not blow the ratio up).
std::vector<ModelVerdict> check_firmware_outputs(
    const std::vector<std::vector<std::vector<float>>>& host, const std::vector<std::string>& names,
    const FirmwareReport& device, double tolerance, size_t rounds = 2);

}  // namespace yono::measure
