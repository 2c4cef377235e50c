// `yono bench mcu`: each firmware image run in QEMU, with flash and RAM taken
// from the ELF's section headers and the run (painted-stack high-water mark),
// together with the instructions per inference and per model switch the
// firmware reports; checked against optional flash/RAM budgets.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace yono::measure {

struct McuBenchOptions {
  std::vector<std::string> elfs;    // LABEL=PATH
  std::vector<std::string> boards;  // one for all, or one per elf
  std::string qemu = "qemu-system-arm";
  double timeout = 300;      // seconds per run
  std::string log_dir;       // non-empty: each run's output kept as DIR/LABEL.log
  std::string json_path;     // non-empty: the benchmark document is written here too
  uint64_t flash_limit = 0;  // 0: no check
  uint64_t ram_limit = 0;
  // Called with each summary line as soon as its image is measured (runs
  // take seconds each), in addition to McuBenchResult::summary.
  std::function<void(const std::string&)> on_line;
};

struct McuBenchResult {
  std::string json;                      // the benchmark document, pretty-printed
  std::vector<std::string> summary;      // human-readable lines, one per image and model
  std::vector<std::string> over_budget;  // empty when every image fits the limits
  size_t images = 0;
};

// Runs every image in turn. Throws yono::Error on a malformed --elf/--board
// list, an output (JSON or log) that would replace an ELF, an unreadable ELF,
// a failed or hung run or an unparsable report.
McuBenchResult run_mcu_bench(const McuBenchOptions& options);

}  // namespace yono::measure
