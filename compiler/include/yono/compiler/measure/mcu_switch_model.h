// What a task switch costs on a microcontroller, with YONO (the model is
// already in flash: Session::select only) and without (the model's weights
// are first read from an SD card over SPI). Latency from instruction counts
// and the SD cost model; energy = time x power. Modelled, not measured: the
// CLI prints every constant next to the result.
#pragma once

#include <cstdint>

#include "yono/compiler/measure/sd_spi_model.h"

namespace yono::measure {

struct McuModel {
  // The STM32F746's maximum core clock (the 256 KB-RAM part issue 5 targets).
  double clock_hz = 216e6;
  // Stated assumption: QEMU counts instructions, not cycles; 1.0 ignores
  // pipeline stalls and flash wait states (both would slow every column alike).
  double cycles_per_instruction = 1.0;
  // Session::select costs 49-53 instructions on Cortex-M4/M7 (QEMU, `yono
  // bench mcu`, docs/bench/mcu.json) for every model size; the most is taken.
  double switch_instructions = 53;
  // Model B's first inference in instructions (e.g. from `yono bench mcu`);
  // 0 means not given, and the switch + inference columns are left out.
  double inference_instructions = 0;
  // Stated assumption: MCU power while running or busy-waiting on SPI. A
  // Cortex-M7 at 216 MHz draws on the order of 100 mA at 3.3 V; use the
  // datasheet figure of your part.
  double active_power_w = 0.33;
  // Stated assumptions: SD card current while reading, and its supply (the
  // specification allows 2.7-3.6 V; 3.3 V is the usual rail). Tens of mA is
  // typical of microSD reads; use the card's datasheet figure.
  double sd_read_current_a = 0.050;
  double sd_supply_v = 3.3;
};

struct McuCost {
  double latency_s = 0;
  double energy_j = 0;
};

struct McuSwitchEstimate {
  SdReadCost sd;  // reading model B's single-model pack
  McuCost in_memory_switch, sd_switch;
  bool has_inference = false;  // McuModel::inference_instructions > 0
  McuCost in_memory_switch_infer, sd_switch_infer;
};

// Throws yono::Error naming a bad constant.
void check_mcu_model(const McuModel& model);

// model_bytes: what the SD baseline reads, model B stored as its own pack.
// The SD columns count the read plus the same select (not Pack::open's
// validation, which would only add to them).
McuSwitchEstimate estimate_mcu_switch(uint64_t model_bytes, const McuModel& mcu,
                                      const SdSpiModel& sd);

// 1 - ours / baseline: the fraction of the baseline's cost that is saved.
double reduction(double ours, double baseline);

}  // namespace yono::measure
