#include "semihost.h"

enum { kSysWrite0 = 0x04, kSysExitExtended = 0x20, kAdpStoppedApplicationExit = 0x20026 };

static int semihost_call(int op, const void* arg) {
  register int r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void semihost_write(const char* text) {
  semihost_call(kSysWrite0, text);
}

void semihost_exit(int code) {
  const uint32_t args[2] = {kAdpStoppedApplicationExit, (uint32_t)code};
  semihost_call(kSysExitExtended, args);
  for (;;) {
  }
}
