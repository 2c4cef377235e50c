// Deterministic test inputs shared by the firmware and the host checker, so
// both run every model on bit-identical data without embedding arrays.
#pragma once

#include <stdint.h>

// Values in [-1, 1), each exactly representable: a 24-bit integer times 2^-24.
static inline void fill_test_input(float* x, uint32_t n, uint32_t model) {
  uint32_t s = 0x9E3779B9u ^ (model * 0x85EBCA6Bu);
  for (uint32_t i = 0; i < n; ++i) {
    s = s * 1664525u + 1013904223u;
    x[i] = (float)(s >> 8) * (1.0f / 16777216.0f) * 2.0f - 1.0f;
  }
}
