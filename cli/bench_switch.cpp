// `yono bench switch PACK --from A --to B`: what a task switch costs when
// every model stays in the pack (Session::select repoints one record) versus
// loading B's weights from external storage first: measured here with a
// real uncached file read, and modelled for an MCU reading an SD card.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "bench_commands.h"
#include "cli_common.h"
#include "switch_measure.h"
#include "switch_report.h"
#include "switch_storage.h"
#include "yono/compiler/bench/single_model_pack.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack_writer.h"

namespace yono::cli {
namespace {

constexpr int kMaxRepeat = 100000;

struct SwitchOptions {
  std::string pack_path, from, to, dir, json_path;
  int repeat = 31;
  double sd_clock_mhz = 25, sd_access_us = 100;
  double mcu_clock_mhz = 216, mcu_active_mw = 330, sd_read_ma = 50;
  bench::SdSpiModel sd;
  bench::McuModel mcu;
};

uint32_t find(const Pack& pack, const std::string& path, const std::string& name,
              const char* option) {
  uint32_t index = 0;
  if (pack.find_model(name.c_str(), &index) != Status::kOk) {
    throw Error(path + ": no model named '" + name + "' (" + option +
                "); models: " + model_names(pack));
  }
  return index;
}

std::string command_line(const SwitchOptions& o) {
  std::string c = "yono bench switch " + o.pack_path + " --from " + o.from + " --to " + o.to +
                  " --repeat " + std::to_string(o.repeat);
  if (!o.dir.empty()) c += " --dir " + o.dir;
  if (o.mcu.inference_instructions > 0) {
    c += " --mcu-inference-instructions " +
         std::to_string(static_cast<uint64_t>(o.mcu.inference_instructions));
  }
  if (!o.json_path.empty()) c += " --json " + o.json_path;
  return c;
}

void run_switch_bench(SwitchOptions& o) {
  if (o.repeat < 1 || o.repeat > kMaxRepeat) {
    throw Error("--repeat must be between 1 and " + std::to_string(kMaxRepeat) + ", got " +
                std::to_string(o.repeat));
  }
  o.sd.spi_clock_hz = o.sd_clock_mhz * 1e6;
  o.sd.access_time_s = o.sd_access_us / 1e6;
  o.mcu.clock_hz = o.mcu_clock_mhz * 1e6;
  o.mcu.active_power_w = o.mcu_active_mw / 1e3;
  o.mcu.sd_read_current_a = o.sd_read_ma / 1e3;
  bench::check_sd_spi_model(o.sd);
  bench::check_mcu_model(o.mcu);

  const std::unique_ptr<LoadedPack> loaded = load_pack(o.pack_path);
  const Pack& pack = loaded->pack;
  SwitchPlan plan;
  plan.pack = &pack;
  plan.from = find(pack, o.pack_path, o.from, "--from");
  plan.to = find(pack, o.pack_path, o.to, "--to");
  plan.repeat = o.repeat;

  const std::vector<uint8_t> alone = bench::single_model_pack(pack, plan.to);
  const ScratchModelFile scratch(alone, o.to, o.dir, o.json_path);

  SwitchReport r;
  r.command = command_line(o);
  r.pack_path = o.pack_path;
  r.pack_bytes = pack.size();
  r.from = o.from;
  r.to = o.to;
  r.to_alone_bytes = alone.size();
  r.repeat = o.repeat;
  const SwitchMeasurement measured = measure_switch(plan, scratch.file());
  r.memory = measured.memory;
  r.file = measured.file;
  r.file_mode = scratch.mode_text();
  r.file_path = scratch.file().path;
  r.fallback_reason = scratch.fallback_reason();
  r.file_alignment = scratch.file().alignment;
  r.sd = o.sd;
  r.mcu = o.mcu;
  r.estimate = bench::estimate_mcu_switch(alone.size(), o.mcu, o.sd);

  if (!o.json_path.empty()) {
    const std::string text = switch_json(r);
    write_file_atomic(o.json_path, std::vector<uint8_t>(text.begin(), text.end()));
  }
  std::fputs(switch_table(r).c_str(), stdout);
}

}  // namespace

void add_bench_switch_command(CLI::App& bench) {
  auto o = std::make_shared<SwitchOptions>();
  CLI::App* cmd = bench.add_subcommand(
      "switch",
      "Time a model switch in memory vs loading the model from a file (O_DIRECT) and from an SD "
      "card over SPI (cost model); latency and energy");
  cmd->add_option("pack", o->pack_path, "Pack file")->required();
  cmd->add_option("--from", o->from, "Model running before the switch")->required();
  cmd->add_option("--to", o->to, "Model switched to")->required();
  cmd->add_option("--repeat", o->repeat, "Repetitions; medians are reported (default 31)");
  cmd->add_option("--dir", o->dir,
                  "Directory for the target model's own pack (default: the --json directory, "
                  "$TMPDIR or /tmp, then the current one: the first that takes O_DIRECT)");
  cmd->add_option("--json", o->json_path, "Also write the results as JSON");

  const char* sd = "SD model (SPI mode)";
  cmd->add_option("--sd-clock-mhz", o->sd_clock_mhz,
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
  cmd->add_option("--sd-access-us", o->sd_access_us,
                  "Per block: read access time until the start token; assumption (default 100)")
      ->group(sd);
  cmd->add_option("--sd-spi-efficiency", o->sd.spi_efficiency,
                  "Fraction of SPI clocks carrying data; assumption, 1 = DMA (default 1)")
      ->group(sd);
  const char* mcu = "MCU model";
  cmd->add_option("--mcu-clock-mhz", o->mcu_clock_mhz, "Core clock; STM32F746 max (default 216)")
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
  cmd->add_option("--mcu-active-mw", o->mcu_active_mw,
                  "MCU power while active; assumption (default 330)")
      ->group(mcu);
  cmd->add_option("--sd-read-ma", o->sd_read_ma, "SD read current; assumption (default 50)")
      ->group(mcu);
  cmd->add_option("--sd-supply-v", o->mcu.sd_supply_v, "SD supply; spec 2.7-3.6 V (default 3.3)")
      ->group(mcu);
  cmd->callback([o] { run_switch_bench(*o); });
}

}  // namespace yono::cli
