#include "yono/compiler/measure/mcu_switch_model.h"

#include <cmath>

#include "yono/compiler/error.h"

namespace yono::measure {
namespace {

bool non_negative(double v) {
  return v >= 0 && std::isfinite(v);
}
bool positive(double v) {
  return v > 0 && std::isfinite(v);
}

}  // namespace

void check_mcu_model(const McuModel& m) {
  if (!positive(m.clock_hz)) throw Error("MCU model: clock must be a positive number of Hz");
  if (!positive(m.cycles_per_instruction)) {
    throw Error("MCU model: cycles per instruction must be positive");
  }
  if (!non_negative(m.switch_instructions) || !non_negative(m.inference_instructions)) {
    throw Error("MCU model: instruction counts must be zero or positive");
  }
  if (!non_negative(m.active_power_w) || !non_negative(m.sd_read_current_a) ||
      !non_negative(m.sd_supply_v)) {
    throw Error("MCU model: power, current and voltage must be zero or positive");
  }
}

McuSwitchEstimate estimate_mcu_switch(uint64_t model_bytes, const McuModel& mcu,
                                      const SdSpiModel& sd) {
  check_mcu_model(mcu);
  McuSwitchEstimate e;
  e.sd = sd_read_cost(model_bytes, sd);
  const double seconds_per_instruction = mcu.cycles_per_instruction / mcu.clock_hz;
  const double select_s = mcu.switch_instructions * seconds_per_instruction;
  const double sd_power_w = mcu.sd_read_current_a * mcu.sd_supply_v;
  // The MCU stays active while it clocks the card, so a read costs both.
  const double read_j = e.sd.total_s * (mcu.active_power_w + sd_power_w);

  e.in_memory_switch = {select_s, select_s * mcu.active_power_w};
  e.sd_switch = {e.sd.total_s + select_s, read_j + select_s * mcu.active_power_w};

  e.has_inference = mcu.inference_instructions > 0;
  if (e.has_inference) {
    const double infer_s = mcu.inference_instructions * seconds_per_instruction;
    const double infer_j = infer_s * mcu.active_power_w;
    e.in_memory_switch_infer = {e.in_memory_switch.latency_s + infer_s,
                                e.in_memory_switch.energy_j + infer_j};
    e.sd_switch_infer = {e.sd_switch.latency_s + infer_s, e.sd_switch.energy_j + infer_j};
  }
  return e;
}

double reduction(double ours, double baseline) {
  return baseline > 0 ? 1.0 - ours / baseline : 0.0;
}

}  // namespace yono::measure
