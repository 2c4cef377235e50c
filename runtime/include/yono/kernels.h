// Float32 reference kernels, one flat function per op (CMSIS-NN style).
// Kernels never allocate and trust their arguments: the pack reader has
// already checked every size, so kernels only compute. Tensors are
// contiguous, batch 1, channel-major (C, H, W).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/channel_values.h"
#include "yono/format.h"

namespace yono {

// bias (f32 or f16) is not read when params.has_bias == 0. 1-D convs use in_h = kh = 1.
void conv_f32(const ConvParams& p, const float* input, const float* weights, ChannelValues bias,
              float* output);

// weights are row-major [out_features][in_features].
void dense_f32(const DenseParams& p, const float* input, const float* weights, ChannelValues bias,
               float* output);

void pool_f32(const PoolParams& p, const float* input, float* output);

void global_pool_f32(const GlobalPoolParams& p, const float* input, float* output);

void unary_f32(const UnaryParams& p, const float* input, float* output);

void binary_f32(const BinaryParams& p, const float* a, const float* b, float* output);

void channel_affine_f32(const ChannelAffineParams& p, const float* input, const float* scale,
                        const float* shift, float* output);

// inputs[i] holds outer * chunk[i] elements; chunk[i] = axis_len_i * inner.
void concat_f32(const ConcatParams& p, uint32_t input_count, const float* const* inputs,
                const uint32_t* chunk, float* output);

void softmax_f32(const SoftmaxParams& p, const float* input, float* output);

void pad_f32(const PadParams& p, const float* input, float* output);

// Like softmax_f32, the natural log of it: x - max - log(sum(exp(x - max))).
void log_softmax_f32(const SoftmaxParams& p, const float* input, float* output);

// offsets: the sum(p.dims) table entries that follow the params in the pack.
void axis_gather_f32(const AxisGatherParams& p, const uint32_t* offsets, const float* input,
                     float* output);

}  // namespace yono
