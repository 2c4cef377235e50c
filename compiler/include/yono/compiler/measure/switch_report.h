// The table `yono bench switch` prints and the JSON it writes. Measured
// host numbers and modelled MCU numbers are kept apart and labelled.
#pragma once

#include <cstdint>
#include <string>

#include "yono/compiler/measure/mcu_switch_model.h"
#include "yono/compiler/measure/sd_spi_model.h"
#include "yono/compiler/measure/switch_measure.h"

namespace yono::measure {

struct SwitchReport {
  std::string command;
  std::string pack_path;
  uint64_t pack_bytes = 0;
  std::string from, to;
  uint64_t to_alone_bytes = 0;  // the target as its own pack: what the baselines load
  int repeat = 0;
  InMemorySwitch memory;
  FileSwitch file;
  std::string file_mode, file_path, fallback_reason;
  size_t file_alignment = 0;
  measure::SdSpiModel sd;
  measure::McuModel mcu;
  measure::McuSwitchEstimate estimate;
};

std::string switch_table(const SwitchReport& r);
std::string switch_json(const SwitchReport& r);  // pretty-printed, newline-terminated

}  // namespace yono::measure
