// Reference int8 elementwise kernels: a lookup table for any unary function
// (the compiler evaluates the float function at each of the 256 inputs), the
// TFLite-style Add, and the conversions at the int8 region's borders.
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {

void unary_table_s8(uint32_t count, const int8_t* table, const int8_t* input, int8_t* output) {
  for (uint32_t i = 0; i < count; ++i) output[i] = table[int32_t{input[i]} + 128];
}

void add_s8(uint32_t count, const int8_t* a, int32_t a_zp, const int8_t* b, int32_t b_zp,
            const I8AddRequant& r, int32_t out_zp, int32_t act_min, int32_t act_max,
            int8_t* output) {
  for (uint32_t i = 0; i < count; ++i) {
    // |x - zp| <= 255 and left_shift <= 23: the shifted values fit in int32.
    const int32_t sa = requantize((int32_t{a[i]} - a_zp) * (int32_t{1} << r.left_shift), r.a);
    const int32_t sb = requantize((int32_t{b[i]} - b_zp) * (int32_t{1} << r.left_shift), r.b);
    const int32_t sum = requantize(saturate_i32(int64_t{sa} + sb), r.out);
    output[i] = clamp_i8(int64_t{sum} + out_zp, act_min, act_max);
  }
}

void quantize_f32_s8(uint32_t count, const float* input, float scale, int32_t zero_point,
                     int8_t* output) {
  for (uint32_t i = 0; i < count; ++i) output[i] = quantize_value(input[i], scale, zero_point);
}

void dequantize_s8_f32(uint32_t count, const int8_t* input, float scale, int32_t zero_point,
                       float* output) {
  for (uint32_t i = 0; i < count; ++i) output[i] = dequantize_value(input[i], scale, zero_point);
}

}  // namespace yono
