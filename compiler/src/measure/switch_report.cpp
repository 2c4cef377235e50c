#include "yono/compiler/measure/switch_report.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

#include "yono/compiler/measure/mcu_switch_model.h"

namespace yono::measure {
namespace {

using nlohmann::json;

std::string scaled(double v, const char* const units[4]) {
  double x = v;
  int u = 0;
  while (u < 3 && std::fabs(x) >= 1000.0) {
    x /= 1000.0;
    ++u;
  }
  return fmt::format("{:.3g} {}", x, units[u]);
}

std::string duration(double s) {
  static const char* const units[4] = {"ns", "us", "ms", "s"};
  return scaled(s * 1e9, units);
}

std::string energy(double j) {
  static const char* const units[4] = {"nJ", "uJ", "mJ", "J"};
  return scaled(j * 1e9, units);
}

// Two decimals, or four where two would round a saving up to 100%.
std::string percent(double fraction) {
  const double p = 100.0 * fraction;
  return p >= 99.995 && p < 100.0 ? fmt::format("{:.4f}%", p) : fmt::format("{:.2f}%", p);
}

std::string first_line_of(const char* path, const char* key) {
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return "";
  char line[512];
  std::string found;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    const std::string s(line);
    if (s.rfind(key, 0) == 0) {
      const size_t colon = s.find(':');
      found = s.substr(colon + 2, s.size() - colon - 3);
      break;
    }
  }
  std::fclose(f);
  return found;
}

json machine() {
  return {{"cpu", first_line_of("/proc/cpuinfo", "model name")},
          {"hardware_threads", std::thread::hardware_concurrency()},
          {"note", "shared, noisy machine: medians of repeated runs; compare ratios"}};
}

json constant(double value, const char* unit, const char* source) {
  return {{"value", value}, {"unit", unit}, {"source", source}};
}

json constants(const SwitchReport& r) {
  const char* spec = "SD Physical Layer Simplified Specification";
  return {
      {"sd_spi_clock_hz",
       constant(r.sd.spi_clock_hz, "Hz", "specification: default speed, SPI clock up to 25 MHz")},
      {"sd_block_bytes",
       constant(r.sd.block_bytes, "B", "specification: SDHC/SDXC read block length is 512")},
      {"sd_block_framing_bytes",
       constant(r.sd.block_framing_bytes, "B", "specification: 1-byte start token + 2-byte CRC16")},
      {"sd_command_bytes",
       constant(r.sd.command_bytes, "B",
                "one CMD17 per block: 6-byte command frame and 1-byte R1 (specification) + "
                "1 byte of NCR wait (assumed; the specification allows up to 8)")},
      {"sd_access_time_s",
       constant(r.sd.access_time_s, "s",
                "assumption: per-block wait for the start token; the specification only bounds "
                "it (100 ms read timeout for SDHC); a NAND page read is tens of us plus the "
                "card controller's work")},
      {"sd_spi_efficiency",
       constant(r.sd.spi_efficiency, "",
                "assumption: 1 = every SPI clock carries data (DMA), the SD baseline's best case")},
      {"sd_supply_v",
       constant(r.mcu.sd_supply_v, "V", "specification allows 2.7-3.6 V; 3.3 V is the usual rail")},
      {"sd_read_current_a",
       constant(r.mcu.sd_read_current_a, "A",
                "assumption: tens of mA is typical of microSD reads; use your card's datasheet")},
      {"mcu_clock_hz", constant(r.mcu.clock_hz, "Hz", "STM32F746 maximum core clock")},
      {"mcu_cycles_per_instruction",
       constant(r.mcu.cycles_per_instruction, "",
                "assumption: QEMU counts instructions, not cycles; stalls and flash wait states "
                "are ignored")},
      {"mcu_switch_instructions",
       constant(r.mcu.switch_instructions, "instructions",
                "--mcu-switch-instructions, else the most `yono bench mcu` measured for "
                "Session::select in QEMU (49-53 for every model size, docs/bench/mcu.json)")},
      {"mcu_inference_instructions",
       constant(r.mcu.inference_instructions, "instructions",
                "--mcu-inference-instructions, the target model's count (0: not given)")},
      {"mcu_active_power_w",
       constant(r.mcu.active_power_w, "W",
                "assumption: order of 100 mA at 3.3 V for a Cortex-M7 at 216 MHz, also while "
                "it waits on the SD card; use your part's datasheet")},
      {"spec", spec},
  };
}

json cost(const measure::McuCost& c) {
  return {{"latency_s", c.latency_s}, {"energy_j", c.energy_j}};
}

json mcu_json(const SwitchReport& r) {
  const measure::McuSwitchEstimate& e = r.estimate;
  json j = {
      {"what", "modelled, not measured: instructions at a clock, SD read cost model, power"},
      {"sd_read",
       {{"bytes", r.to_alone_bytes},
        {"blocks", e.sd.blocks},
        {"wire_bytes", e.sd.wire_bytes},
        {"access_s", e.sd.access_s},
        {"transfer_s", e.sd.transfer_s},
        {"total_s", e.sd.total_s}}},
      {"in_flash_switch", cost(e.in_memory_switch)},
      {"sd_switch", cost(e.sd_switch)},
      {"reduction_switch",
       {{"latency", measure::reduction(e.in_memory_switch.latency_s, e.sd_switch.latency_s)},
        {"energy", measure::reduction(e.in_memory_switch.energy_j, e.sd_switch.energy_j)}}},
  };
  if (e.has_inference) {
    j["in_flash_switch_infer"] = cost(e.in_memory_switch_infer);
    j["sd_switch_infer"] = cost(e.sd_switch_infer);
    j["reduction_switch_infer"] = {
        {"latency",
         measure::reduction(e.in_memory_switch_infer.latency_s, e.sd_switch_infer.latency_s)},
        {"energy",
         measure::reduction(e.in_memory_switch_infer.energy_j, e.sd_switch_infer.energy_j)}};
  }
  return j;
}

}  // namespace

std::string switch_json(const SwitchReport& r) {
  const json j = {
      {"command", r.command},
      {"machine", machine()},
      {"pack", {{"path", r.pack_path}, {"bytes", r.pack_bytes}}},
      {"from", r.from},
      {"to", r.to},
      {"to_alone_bytes", r.to_alone_bytes},
      {"repeat", r.repeat},
      {"host_measured",
       {{"what", "measured on this machine, medians, seconds"},
        {"in_memory",
         {{"switch_s", r.memory.switch_s},
          {"switch_batch", r.memory.batch},
          {"switch_infer_s", r.memory.switch_infer_s},
          {"switch_infer_min_s", r.memory.switch_infer_min_s}}},
        {"file",
         {{"read_mode", r.file_mode},
          {"dir", r.file_path.substr(0, r.file_path.rfind('/') + 1)},
          {"fallback_reason", r.fallback_reason},
          {"alignment", r.file_alignment},
          {"read_s", r.file.read_s},
          {"pack_open_s", r.file.open_s},
          {"select_s", r.file.select_s},
          {"switch_s", r.file.switch_s},
          {"switch_infer_s", r.file.switch_infer_s},
          {"switch_min_s", r.file.switch_min_s},
          {"switch_infer_min_s", r.file.switch_infer_min_s}}},
        {"reduction_vs_file",
         {{"switch", measure::reduction(r.memory.switch_s, r.file.switch_s)},
          {"switch_infer", measure::reduction(r.memory.switch_infer_s, r.file.switch_infer_s)}}}}},
      {"mcu_model", mcu_json(r)},
      {"constants", constants(r)},
  };
  return j.dump(2) + "\n";
}

std::string switch_table(const SwitchReport& r) {
  const measure::McuSwitchEstimate& e = r.estimate;
  std::string t;
  t += fmt::format("{} -> {} in {} ({} B); {} alone: {} B. Medians of {} repetitions.\n\n", r.from,
                   r.to, r.pack_path, r.pack_bytes, r.to, r.to_alone_bytes, r.repeat);
  t += fmt::format("{:<46}{:>14}{:>26}\n", "measured on this machine", "switch",
                   "switch + first inference");
  t += fmt::format("{:<46}{:>14}{:>26}\n", "  in memory: Session::select",
                   duration(r.memory.switch_s), duration(r.memory.switch_infer_s));
  t += fmt::format("{:<46}{:>14}{:>26}\n",
                   std::string("  from file (") +
                       (r.file_mode.rfind("O_DIRECT", 0) == 0 ? "O_DIRECT" : "page cache dropped") +
                       (r.file_mode.find("tmpfs") != std::string::npos ? ", tmpfs" : "") + ")",
                   duration(r.file.switch_s), duration(r.file.switch_infer_s));
  t += fmt::format("    = read {} + Pack::open {} + select {}\n", duration(r.file.read_s),
                   duration(r.file.open_s), duration(r.file.select_s));
  t += fmt::format("{:<46}{:>14}{:>26}\n", "  in-memory saves",
                   percent(measure::reduction(r.memory.switch_s, r.file.switch_s)),
                   percent(measure::reduction(r.memory.switch_infer_s, r.file.switch_infer_s)));
  // Preemption on a loaded machine adds whole scheduler ticks to some
  // repetitions; the fastest ones show the undisturbed cost.
  t += fmt::format(
      "  fastest repetitions: switch + inference {} in memory, {} from file; file switch {}\n\n",
      duration(r.memory.switch_infer_min_s), duration(r.file.switch_infer_min_s),
      duration(r.file.switch_min_s));

  t += fmt::format("{:<46}{:>14}{:>12}{:>14}{:>12}\n",
                   fmt::format("modelled MCU ({:.0f} MHz)", r.mcu.clock_hz / 1e6), "switch",
                   "energy", "+ inference", "energy");
  auto row = [&](const std::string& label, const measure::McuCost& s, const measure::McuCost& i) {
    t += fmt::format("{:<46}{:>14}{:>12}", label, duration(s.latency_s), energy(s.energy_j));
    t += e.has_inference ? fmt::format("{:>14}{:>12}\n", duration(i.latency_s), energy(i.energy_j))
                         : fmt::format("{:>14}{:>12}\n", "-", "-");
  };
  row(fmt::format("  in flash: {:.0f}-instruction select", r.mcu.switch_instructions),
      e.in_memory_switch, e.in_memory_switch_infer);
  row(fmt::format("  SD over SPI: {} blocks at {:.0f} MHz", e.sd.blocks, r.sd.spi_clock_hz / 1e6),
      e.sd_switch, e.sd_switch_infer);
  t += fmt::format("{:<46}{:>14}{:>12}", "  in-flash saves",
                   percent(measure::reduction(e.in_memory_switch.latency_s, e.sd_switch.latency_s)),
                   percent(measure::reduction(e.in_memory_switch.energy_j, e.sd_switch.energy_j)));
  if (e.has_inference) {
    t += fmt::format(
        "{:>14}{:>12}\n",
        percent(
            measure::reduction(e.in_memory_switch_infer.latency_s, e.sd_switch_infer.latency_s)),
        percent(measure::reduction(e.in_memory_switch_infer.energy_j, e.sd_switch_infer.energy_j)));
  } else {
    t += "\n  (+ inference: give B's instruction count with --mcu-inference-instructions)\n";
  }
  t += fmt::format(
      "  SD: {:.0f} us access/block (assumed), {} B command + {} B framing per {} B block; "
      "power: MCU {:.3g} W, SD {:.3g} A x {:.3g} V (assumed)\n",
      r.sd.access_time_s * 1e6, r.sd.command_bytes, r.sd.block_framing_bytes, r.sd.block_bytes,
      r.mcu.active_power_w, r.mcu.sd_read_current_a, r.mcu.sd_supply_v);
  if (!r.fallback_reason.empty() || r.file_mode.find("tmpfs") != std::string::npos) {
    t += "  file reads: " + r.file_mode +
         (r.fallback_reason.empty() ? "" : " (tried first: " + r.fallback_reason + ")") + "\n";
  }
  return t;
}

}  // namespace yono::measure
