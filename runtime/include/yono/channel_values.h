// One float per output channel as the pack stores it: float32, or binary16
// (PQ and int8 scales, Conv/Dense biases). A kernel reads value[o] once per
// output channel, so the half conversion costs nothing that matters next to
// the channel's multiply-accumulates.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/half_float.h"

namespace yono {

struct ChannelValues {
  const void* data = nullptr;
  bool half = false;  // binary16, decoded with yono/half_float.h

  ChannelValues() = default;
  ChannelValues(const float* f32) : data(f32) {}  // NOLINT: a float array is f32 values
  ChannelValues(const void* bytes, bool is_half) : data(bytes), half(is_half) {}
  float operator[](uint32_t channel) const {
    if (half) {
      uint16_t h;
      __builtin_memcpy(&h, static_cast<const uint8_t*>(data) + size_t{channel} * 2u, sizeof h);
      return half_to_float(h);
    }
    return static_cast<const float*>(data)[channel];
  }
};

}  // namespace yono
