// Classifies by section flags rather than names, so any linker script's
// sections count; only the stack is named, because it is reserved space whose
// used part (the painted high-water mark) is what RAM use means.
#include "yono/compiler/measure/memory_use.h"

namespace yono::measure {

MemoryUse memory_use(const std::vector<ElfSection>& sections) {
  MemoryUse use;
  for (const ElfSection& s : sections) {
    if ((s.flags & kShfAlloc) == 0) continue;  // debug info, symbols: not on the target
    if (s.name == ".stack") {
      use.stack_reserved += s.size;
    } else if (s.type == kShtNobits) {
      use.ram_bss += s.size;
    } else {
      use.flash += s.size;
      if (s.flags & kShfWrite) use.ram_data += s.size;
    }
  }
  return use;
}

}  // namespace yono::measure
