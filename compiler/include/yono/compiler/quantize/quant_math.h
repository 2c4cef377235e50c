// How the compiler picks int8 quantization constants, TFLite's way, for the
// arithmetic yono/requant.h defines (the runtime's side).
#pragma once

#include <cstdint>

#include "yono/compiler/ir/ir.h"
#include "yono/format.h"

namespace yono::quantize {

// Per-tensor asymmetric int8 for values seen in [lo, hi]: the range is
// widened to hold 0 (so zero, hence padding and ReLU's floor, is exact),
// scale = (hi - lo) / 255, zero_point = round(-128 - lo / scale) clamped to
// int8. A range of width 0 (all zeros) gets scale 1, so it stays valid.
ir::QuantParams quant_for_range(float lo, float hi);

// A real multiplier as a Q31 mantissa of magnitude in [2^30, 2^31), signed
// like `real` (a PQ row's learned scale may be negative), and a power of two
// (RequantEntry), rounded to nearest. Magnitudes below 2^-32 become 0 (the
// output is the zero point); above 2^30, or not finite, throws yono::Error.
RequantEntry requant_for(double real);

// x quantized with q, as the runtime's Convert does (yono/requant.h).
int32_t quantize(float x, const ir::QuantParams& q);
float dequantize(int32_t v, const ir::QuantParams& q);

// A fused clamp [min, max] (ir::kNoMin / ir::kNoMax for none) as int8
// output values of q: always inside [-128, 127].
void int8_clamp(const ir::Activation& act, const ir::QuantParams& q, float* lo, float* hi);

}  // namespace yono::quantize
