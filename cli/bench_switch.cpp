// `yono bench switch PACK --from A --to B`: flags in, measure::bench_switch
// (measure/switch_bench.h), table and JSON out.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "bench_commands.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/measure/switch_bench.h"

namespace yono::cli {
namespace {

// Flags in the units people think in; the models take SI units.
struct SwitchFlags {
  measure::SwitchBenchOptions bench;
  double sd_clock_mhz = 25, sd_access_us = 100;
  double mcu_clock_mhz = 216, mcu_active_mw = 330, sd_read_ma = 50;
};

void run_switch_bench(SwitchFlags& f) {
  measure::SwitchBenchOptions& o = f.bench;
  o.sd.spi_clock_hz = f.sd_clock_mhz * 1e6;
  o.sd.access_time_s = f.sd_access_us / 1e6;
  o.mcu.clock_hz = f.mcu_clock_mhz * 1e6;
  o.mcu.active_power_w = f.mcu_active_mw / 1e3;
  o.mcu.sd_read_current_a = f.sd_read_ma / 1e3;
  check_outputs_distinct({o.pack_path}, {o.json_path});
  const measure::SwitchReport r = measure::bench_switch(o);
  if (!o.json_path.empty()) {
    const std::string text = measure::switch_json(r);
    write_file_atomic(o.json_path, std::vector<uint8_t>(text.begin(), text.end()));
  }
  std::fputs(measure::switch_table(r).c_str(), stdout);
}

}  // namespace

void add_bench_switch_command(CLI::App& bench) {
  auto f = std::make_shared<SwitchFlags>();
  measure::SwitchBenchOptions* o = &f->bench;
  CLI::App* cmd = bench.add_subcommand(
      "switch",
      "Time a model switch in memory vs loading the model from a file (O_DIRECT) and from an SD "
      "card over SPI (cost model); latency and energy");
  cmd->footer(
      "Example:\n  yono bench switch models/zoo.yono --from fashion-mnist --to cifar10 --json "
      "switch.json");
  cmd->add_option("pack", o->pack_path, "Pack file")->required();
  cmd->add_option("--from", o->from, "Model running before the switch")->required();
  cmd->add_option("--to", o->to, "Model switched to")->required();
  cmd->add_option("--repeat", o->repeat, "Repetitions; medians are reported (default 31)");
  cmd->add_option("--dir", o->dir,
                  "Directory for the target model's own pack (default: the --json directory, "
                  "$TMPDIR or /tmp, then the current one: the first that takes O_DIRECT)");
  cmd->add_option("--json", o->json_path, "Also write the results as JSON");

  const char* sd = "SD model (SPI mode)";
  cmd->add_option("--sd-clock-mhz", f->sd_clock_mhz,
                  "SPI clock; spec: default speed up to 25 MHz (default 25)")
      ->group(sd);
  cmd->add_option("--sd-block-bytes", o->sd.block_bytes,
                  "Read block; spec: 512 for SDHC/SDXC (default 512)")
      ->group(sd);
  cmd->add_option("--sd-framing-bytes", o->sd.block_framing_bytes,
                  "Per block: start token + CRC16 per spec (default 3)")
      ->group(sd);
  cmd->add_option("--sd-command-bytes", o->sd.command_bytes,
                  "Per block: CMD17 frame 6 + NCR 1 (assumed; spec up to 8) + R1 1 (default 8)")
      ->group(sd);
  cmd->add_option("--sd-access-us", f->sd_access_us,
                  "Per block: read access time until the start token; assumption (default 100)")
      ->group(sd);
  cmd->add_option("--sd-spi-efficiency", o->sd.spi_efficiency,
                  "Fraction of SPI clocks carrying data; assumption, 1 = DMA (default 1)")
      ->group(sd);
  const char* mcu = "MCU model";
  cmd->add_option("--mcu-clock-mhz", f->mcu_clock_mhz, "Core clock; STM32F746 max (default 216)")
      ->group(mcu);
  cmd->add_option("--mcu-cpi", o->mcu.cycles_per_instruction,
                  "Cycles per instruction; assumption (default 1)")
      ->group(mcu);
  cmd->add_option("--mcu-switch-instructions", o->mcu.switch_instructions,
                  "Session::select; docs/BENCHMARKS.md, QEMU (default 40)")
      ->group(mcu);
  cmd->add_option("--mcu-inference-instructions", o->mcu.inference_instructions,
                  "Target model's inference, e.g. from `yono bench mcu` (default: not given)")
      ->group(mcu);
  cmd->add_option("--mcu-active-mw", f->mcu_active_mw,
                  "MCU power while active; assumption (default 330)")
      ->group(mcu);
  cmd->add_option("--sd-read-ma", f->sd_read_ma, "SD read current; assumption (default 50)")
      ->group(mcu);
  cmd->add_option("--sd-supply-v", o->mcu.sd_supply_v, "SD supply; spec 2.7-3.6 V (default 3.3)")
      ->group(mcu);
  cmd->callback([f] { run_switch_bench(*f); });
}

}  // namespace yono::cli
