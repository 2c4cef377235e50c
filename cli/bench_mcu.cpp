// `yono bench mcu --elf LABEL=app.elf [--elf ...] --board mps2-an386 -o mcu.json`:
// flags in, measure::run_mcu_bench (measure/mcu_bench.h), summary and JSON out.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "bench_commands.h"
#include "yono/compiler/error.h"
#include "yono/compiler/measure/mcu_bench.h"

namespace yono::cli {
namespace {

void run_bench_mcu(measure::McuBenchOptions opt, const std::string& output) {
  opt.on_line = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
  opt.json_path = output;
  const measure::McuBenchResult r = measure::run_mcu_bench(opt);
  std::printf("wrote %s (%zu firmware images)\n", output.c_str(), r.images);
  if (!r.over_budget.empty())
    throw Error("over budget: " + fmt::format("{}", fmt::join(r.over_budget, "; ")));
}

}  // namespace

void add_bench_mcu_command(CLI::App& bench) {
  auto opt = std::make_shared<measure::McuBenchOptions>();
  auto output = std::make_shared<std::string>();
  CLI::App* cmd = bench.add_subcommand(
      "mcu", "Run firmware images in QEMU: flash, RAM, instructions per inference and switch");
  cmd->footer(
      "Example:\n  yono bench mcu --elf m4=build-fw/app.elf --board mps2-an386 -o mcu.json   # "
      "app.elf: firmware/ around yono export-c");
  cmd->add_option("--elf", opt->elfs, "LABEL=PATH of a firmware image (firmware/app); repeatable")
      ->required();
  cmd->add_option("--board", opt->boards,
                  "QEMU machine (mps2-an386: Cortex-M4, mps2-an500: Cortex-M7); once for all "
                  "images or once per --elf")
      ->required();
  cmd->add_option("--qemu", opt->qemu, "qemu-system-arm binary")->capture_default_str();
  cmd->add_option("--timeout", opt->timeout, "Seconds per run before it counts as hung")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("-o,--output", *output, "JSON file to write")->required();
  cmd->add_option("--log-dir", opt->log_dir, "Also keep each run's output as DIR/LABEL.log");
  cmd->add_option("--flash-limit", opt->flash_limit, "Fail if an image's flash exceeds BYTES");
  cmd->add_option("--ram-limit", opt->ram_limit,
                  "Fail if an image's RAM (data + bss + stack used) exceeds BYTES");
  cmd->callback([opt, output] { run_bench_mcu(*opt, *output); });
}

}  // namespace yono::cli
