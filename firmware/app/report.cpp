#include "report.h"

#include "../src/semihost.h"

namespace fw {

Line& Line::text(const char* s) {
  while (*s && len_ + 2 < sizeof(buf_)) buf_[len_++] = *s++;
  return *this;
}

Line& Line::u64(uint64_t v) {
  char digits[21];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0 && len_ + 2 < sizeof(buf_)) buf_[len_++] = digits[--n];
  return *this;
}

Line& Line::hex32(uint32_t v) {
  static const char kHex[] = "0123456789abcdef";
  for (int shift = 28; shift >= 0 && len_ + 2 < sizeof(buf_); shift -= 4) {
    buf_[len_++] = kHex[(v >> shift) & 15u];
  }
  return *this;
}

void Line::emit() {
  buf_[len_++] = '\n';
  buf_[len_] = '\0';
  semihost_write(buf_);
  len_ = 0;
}

}  // namespace fw
