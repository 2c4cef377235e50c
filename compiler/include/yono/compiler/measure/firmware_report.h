// The report lines firmware/app prints over semihosting (firmware/app/main.cpp
// writes them; this is the one parser, used by `yono bench mcu` and fw_check):
//   PACK <bytes> <models> <arena bytes>
//   MODEL <index> <name> switch=<ticks> invoke=<ticks> round=<r> [arena=<bytes>]
//   OUT <model> <round> <output> <element> <ieee754 bits, hex>
//   STACK <bytes>
//   DONE
// and, on failure, "ERROR ..." or "FAULT".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono::measure {

// Under QEMU's -icount shift=5 each instruction advances virtual time by
// 32 ns and the 25 MHz SysTick counts 0.8 ticks per instruction. These are
// instructions, not cycles: QEMU models no pipeline, wait states or caches.
constexpr uint64_t ticks_to_instructions(uint64_t ticks) {
  return (ticks * 5 + 2) / 4;
}

struct ModelReport {
  uint32_t index = 0;
  std::string name;
  uint64_t switch_ticks = 0;   // Session::select
  uint64_t invoke_ticks = 0;   // one inference
  uint64_t arena_bytes = 0;    // 0 when the firmware did not report it
  // OUT lines, bit exact: outputs[round][output][element]; every round's,
  // so a checker sees that switching back gives the same results.
  std::vector<std::vector<std::vector<float>>> outputs;
};

struct FirmwareReport {
  uint64_t pack_bytes = 0;
  uint32_t model_count = 0;
  uint64_t arena_bytes = 0;         // the shared arena: the largest model's
  std::vector<ModelReport> models;  // from the second round (round=1), by index
  uint64_t stack_high_water = 0;
};

// Parses a complete run's output. Throws yono::Error "<source>: ..." when the
// firmware reported an error or fault, did not finish (no DONE), or a line is
// malformed or a model's second-round line is missing. OUT lines are optional
// (a model without them has no outputs) but must come in order: a round's
// outputs by index, each output's elements by index.
FirmwareReport parse_firmware_report(const std::string& text, const std::string& source);

}  // namespace yono::measure
