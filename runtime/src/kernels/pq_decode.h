// Shared by the product-quantized kernels: codes are unpacked in small
// batches so the bit stream is read once, with a fixed stack footprint.
#pragma once

#include <stdint.h>

namespace yono {
namespace kernels {

constexpr uint32_t kPqCodeBatch = 32;  // 64 bytes of stack

}  // namespace kernels
}  // namespace yono
