// `yono bench switch`: what a task switch costs when every model stays in the
// pack (Session::select repoints one record) versus loading the target
// model's weights from external storage first: measured with a real uncached
// file read, and modelled for an MCU reading an SD card over SPI.
#pragma once

#include <string>

#include "yono/compiler/measure/mcu_switch_model.h"
#include "yono/compiler/measure/sd_spi_model.h"
#include "yono/compiler/measure/switch_report.h"

namespace yono::measure {

constexpr int kMaxSwitchRepeat = 100000;

struct SwitchBenchOptions {
  std::string pack_path, from, to;
  std::string dir;        // where the target's own pack goes (switch_storage.h)
  std::string json_path;  // recorded in the report's command line; also a --dir candidate
  int repeat = 31;
  SdSpiModel sd;
  McuModel mcu;
};

// Loads the pack, measures both paths and fills the report. Throws
// yono::Error on an unknown model, a bad model parameter or a repeat count
// outside 1..kMaxSwitchRepeat.
SwitchReport bench_switch(const SwitchBenchOptions& options);

}  // namespace yono::measure
