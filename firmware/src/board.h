// What the application needs from the board: a tick counter and stack use.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { kStackPaint = 0x5AC3A55Au };

// SysTick-based counter. Under QEMU with -icount shift=N it advances with the
// number of executed instructions (QEMU does not model cycles): report its
// differences as instruction-proportional counts, never as cycles.
void ticks_start(void);
uint64_t ticks_now(void);

// Bytes of the stack ever written since reset (painted words overwritten).
uint32_t stack_high_water(void);

#ifdef __cplusplus
}
#endif
