// ARM semihosting (bkpt 0xAB): the debugger or QEMU performs the call. The
// only I/O the firmware needs: text out and an exit code.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void semihost_write(const char* text);  // NUL-terminated
void semihost_exit(int code);           // SYS_EXIT_EXTENDED; does not return

#ifdef __cplusplus
}
#endif
