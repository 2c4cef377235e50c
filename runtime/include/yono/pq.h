// Layers stored as shared-codebook product-quantization codes (the YONO
// scheme): every output channel's flattened weight row is cut into
// sub-vectors of length `dim`, each replaced by the index of its nearest
// codeword in a codebook shared by all layers of all models, plus one scale
// per output channel. Kernels here execute straight from those indices,
// decoding a few codewords at a time; a model is never expanded to float.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/channel_values.h"
#include "yono/format.h"

namespace yono {

// A "row" is one output channel's weights: in_c / groups * kh * kw for a conv
// (OIHW order), in_features for a dense layer. It holds
// subvectors_per_row = ceil(row_len / dim) codes; the last sub-vector's
// padding lanes are ignored. Decoded weight j of output channel o is
//   scales[o] * value(codes[o * subvectors_per_row + j / dim] * dim + j % dim)
// where value(i) is codebook lane i as a float: the f32 itself, the exact
// binary16 -> binary32 conversion, or float(int8) * codebook_scale, and the
// product is formed in float in that order (kernels and tests rely on it).
struct PqWeights {
  const void* codebook;  // codeword_count x dim, row-major, of codebook_dtype
  CodebookDType codebook_dtype;
  float codebook_scale;     // kI8 codebooks: value = int8 * codebook_scale
  uint32_t dim;             // sub-vector length D
  uint32_t codeword_count;  // K; every code is < K
  const uint8_t* codes;     // bit-packed (yono/bitpack.h), code_bits each
  uint32_t code_bits;       // ceil(log2(K)), 1..16
  ChannelValues scales;     // one per output channel (f32 or f16)
  uint32_t subvectors_per_row;
};

// Scratch floats conv_pq_f32 needs: one decoded row, rounded up to whole
// codewords so decoding never has to special-case the tail.
uint32_t conv_pq_scratch_floats(const ConvParams& p, const PqWeights& w);

// Same result as conv_f32 on the decoded weights (identical accumulation
// order). Each output channel's row is decoded once into `scratch`, so the
// decode cost is shared by all out_h * out_w positions.
void conv_pq_f32(const ConvParams& p, const PqWeights& w, const float* input, ChannelValues bias,
                 float* output, float* scratch);

// 0: dense decodes codewords straight into the dot product, as each weight
// is used exactly once.
uint32_t dense_pq_scratch_floats(const DenseParams& p, const PqWeights& w);

// Same result as dense_f32 on the decoded weights. `scratch` may be null
// when dense_pq_scratch_floats returns 0.
void dense_pq_f32(const DenseParams& p, const PqWeights& w, const float* input, ChannelValues bias,
                  float* output, float* scratch);

// Per-output-channel symmetric int8 weights (the TFLM-style baseline):
// decoded weight j of output channel o is scales[o] * values[o * row_length + j].
struct I8Weights {
  const int8_t* values;
  ChannelValues scales;  // one per output channel (f32 or f16)
};

// Scratch floats conv_i8w_f32 needs: one widened output-channel row.
uint32_t conv_i8w_scratch_floats(const ConvParams& p);
// Same result as conv_f32 on the decoded weights (identical accumulation order).
void conv_i8w_f32(const ConvParams& p, const I8Weights& w, const float* input, ChannelValues bias,
                  float* output, float* scratch);
// 0: dense widens each weight inline; `scratch` may then be null.
uint32_t dense_i8w_scratch_floats(const DenseParams& p);
// Same result as dense_f32 on the decoded weights.
void dense_i8w_f32(const DenseParams& p, const I8Weights& w, const float* input, ChannelValues bias,
                   float* output, float* scratch);

}  // namespace yono
