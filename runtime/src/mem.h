// Byte copies and string equality without the C library's <string.h>: the
// runtime includes no host headers. GCC's builtins inline small fixed-size
// copies and otherwise call memcpy/memmove, which every freestanding GCC
// toolchain must provide anyway.
#pragma once

#include <stddef.h>

namespace yono {
namespace rt {

inline void copy_bytes(void* dst, const void* src, size_t n) {
  __builtin_memcpy(dst, src, n);
}

inline void move_bytes(void* dst, const void* src, size_t n) {
  __builtin_memmove(dst, src, n);
}

inline bool same_string(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

}  // namespace rt
}  // namespace yono
