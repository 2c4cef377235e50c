// Runs a firmware image in qemu-system-arm the way `./run firmware-test` and
// `yono bench mcu` both do, so their counts are comparable.
#pragma once

#include <string>
#include <vector>

namespace yono::measure {

// The command line: semihosting on, and -icount shift=5 so SysTick advances
// a fixed 0.8 ticks per executed instruction (see ticks_to_instructions).
std::vector<std::string> qemu_command(const std::string& qemu, const std::string& board,
                                      const std::string& elf);

// Runs the command with a wall-clock limit and returns everything the
// firmware printed. Throws yono::Error with one line when qemu cannot be
// found or started, the run times out, or it exits non-zero (firmware
// errors and faults exit non-zero); the message names the ELF.
std::string run_qemu(const std::string& qemu, const std::string& board, const std::string& elf,
                     double timeout_seconds);

}  // namespace yono::measure
