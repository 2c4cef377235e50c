// Line-oriented report the firmware prints over semihosting and the host
// checker parses. Floats go out as raw IEEE bits so nothing is lost.
#pragma once

#include <stdint.h>

namespace fw {

// A fixed line buffer; appends never overflow (text is cut instead).
class Line {
 public:
  Line& text(const char* s);
  Line& u64(uint64_t v);
  Line& hex32(uint32_t v);
  void emit();  // appends '\n', writes, clears

 private:
  char buf_[160];
  uint32_t len_ = 0;
};

}  // namespace fw
