#include "board.h"

extern uint32_t _sstack, _estack;

#define SYST_CSR (*(volatile uint32_t*)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t*)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t*)0xE000E018u)

enum { kReload = 0x00FFFFFFu };  // 24-bit down counter; the interrupt extends it

static volatile uint32_t g_wraps;

void SysTick_Handler(void) {
  ++g_wraps;
}

void ticks_start(void) {
  SYST_RVR = kReload;
  SYST_CVR = 0;
  SYST_CSR = 0x7u;  // processor clock, interrupt, enable
}

uint64_t ticks_now(void) {
  uint32_t wraps, value;
  do {  // re-read if the counter wrapped between the two reads
    wraps = g_wraps;
    value = SYST_CVR;
  } while (wraps != g_wraps);
  return (uint64_t)wraps * (kReload + 1u) + (kReload - value);
}

uint32_t stack_high_water(void) {
  const uint32_t* p = &_sstack;
  while (p < &_estack && *p == kStackPaint) ++p;
  return (uint32_t)((const uint8_t*)&_estack - (const uint8_t*)p);
}
