// Flash and static RAM of a firmware image, from its section headers.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/measure/elf_sections.h"

namespace yono::measure {

struct MemoryUse {
  uint64_t flash = 0;           // allocated sections with file bytes: code, constants, the
                                // pack, and .data's initial values (copied to RAM at reset)
  uint64_t ram_data = 0;        // writable sections with file bytes (.data)
  uint64_t ram_bss = 0;         // zero-filled sections (.bss, the arena), not the stack
  uint64_t stack_reserved = 0;  // the `.stack` region; its used part is measured at run time
};

MemoryUse memory_use(const std::vector<ElfSection>& sections);

}  // namespace yono::measure
