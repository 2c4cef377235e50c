// Int8 reference kernels (integer execution, yono/requant.h), one flat
// function per op like the float ones in yono/kernels.h. Activations are
// int8 with a per-tensor zero point; Conv/Dense weights are int8 per output
// channel or PQ codes over an int8/int16 codebook, decoded row by row into
// int16 scratch; accumulators are int32, wrapping.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/format.h"
#include "yono/pq.h"

namespace yono {

// The weight rows of an int8 Conv/Dense: per-channel int8 values, or PQ
// codes over a kI8 or kI16 codebook. Scales are not read: the compiler folds
// them into the requantization table.
struct S8Weights {
  const int8_t* values;  // null for PQ: rows * row_length int8 values
  PqWeights pq;          // when values is null
  uint32_t row_length;
};

// What an int8 Conv/Dense/Add does with its accumulators.
struct S8Output {
  const RequantEntry* requant;  // per output channel (Conv/Dense)
  int32_t zero_point;
  int32_t act_min, act_max;  // int8 clamp, act_min <= act_max
};

// Int16 scratch values one decoded weight row takes (whole codewords).
uint32_t s8_row_scratch_values(const S8Weights& w);

// Row `row` as int16 lanes into out[0, s8_row_scratch_values).
void decode_row_s16(const S8Weights& w, uint32_t row, int16_t* out);

// out = clamp(requant(bias + sum (x - in_zp) * w) + out_zp), taps in the
// padding skipped (they would add (in_zp - in_zp) * w = 0). The plain loop
// nest, checking every tap: the definition the fast version is tested
// against bit for bit.
void conv_s8_reference(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                       const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch);
// Int16 scratch values conv_s8 needs to gather `columns` output positions'
// input windows at a time (1 is the least it runs with; each decoded weight
// row serves a whole batch of windows, so more columns decode less often).
// Convolutions whose output channels each read one input channel need only
// one decoded row.
uint32_t conv_s8_scratch_values(const ConvParams& p, const S8Weights& w, uint32_t columns);

// The same result as the reference by faster loop nests (exact in another
// summation order since accumulators wrap), using all of `scratch_values`
// (at least conv_s8_scratch_values(p, w, 1)) for as many columns as fit.
void conv_s8(const ConvParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
             const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch,
             uint32_t scratch_values);

void dense_s8(const DenseParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
              const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch);

// Max and average pooling with equal input and output quantization: a max
// is a max of the int8 values, an average the rounded (half away from zero)
// mean of them.
void pool_s8(const PoolParams& p, const int8_t* input, int8_t* output);
void global_pool_s8(const GlobalPoolParams& p, const int8_t* input, int8_t* output);

// out[i] = table[in[i] + 128]: any elementwise function of one int8 value.
void unary_table_s8(uint32_t count, const int8_t* table, const int8_t* input, int8_t* output);

// a + b of equal shapes, each with its own quantization (I8AddRequant).
void add_s8(uint32_t count, const int8_t* a, int32_t a_zp, const int8_t* b, int32_t b_zp,
            const I8AddRequant& r, int32_t out_zp, int32_t act_min, int32_t act_max,
            int8_t* output);

void quantize_f32_s8(uint32_t count, const float* input, float scale, int32_t zero_point,
                     int8_t* output);
void dequantize_s8_f32(uint32_t count, const int8_t* input, float scale, int32_t zero_point,
                       float* output);

void axis_gather_s8(const AxisGatherParams& p, const uint32_t* offsets, const int8_t* input,
                    int8_t* output);

}  // namespace yono
