// Section headers of a 32-bit little-endian ELF (what arm-none-eabi-gcc
// links), read without binutils so `yono bench mcu` measures the very file it
// runs in QEMU.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono::measure {

enum : uint32_t {
  kShtNobits = 8,   // occupies memory but no file bytes (.bss, .stack)
  kShfWrite = 0x1,  // writable at run time: lives in RAM
  kShfAlloc = 0x2,  // occupies memory on the target
  kShfExecInstr = 0x4,
};

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  uint32_t flags = 0;
  uint32_t addr = 0;
  uint32_t size = 0;
};

// All section headers in file order. `path` only names the file in errors:
// a malformed or truncated image throws yono::Error "<path>: ...".
std::vector<ElfSection> parse_elf32_sections(const std::vector<uint8_t>& image,
                                             const std::string& path);

// Reads and parses the file; throws yono::Error naming it.
std::vector<ElfSection> read_elf32_sections(const std::string& path);

}  // namespace yono::measure
