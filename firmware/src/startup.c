// Reset and exception entry for Cortex-M4F/M7: enable the FPU before any
// float code, copy .data, clear .bss, paint the stack so its high-water mark
// can be measured, then run main(). A fault reports itself and exits 3.
#include <stdint.h>

#include "board.h"
#include "semihost.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _sstack, _estack;
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
int main(void);

void Reset_Handler(void);
void Fault_Handler(void);
void SysTick_Handler(void);

void Reset_Handler(void) {
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;  // CPACR: CP10/CP11 full access
  __asm__ volatile("dsb\n isb" ::: "memory");
  const uint32_t* src = &_sidata;
  for (uint32_t* dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t* dst = &_sbss; dst < &_ebss;) *dst++ = 0;
  // Paint below the current frame only: the words above it are in use.
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = &_sstack; p < sp - 16; ++p) *p = kStackPaint;
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
  semihost_exit(main());
}

void Fault_Handler(void) {
  semihost_write("FAULT\n");
  semihost_exit(3);
}

__attribute__((section(".isr_vector"), used)) const void* const vector_table[16] = {
    &_estack,
    Reset_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    0,
    0,
    0,
    0,
    Fault_Handler,
    Fault_Handler,
    0,
    Fault_Handler,
    SysTick_Handler,
};
