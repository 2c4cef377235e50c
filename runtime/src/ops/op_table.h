// Per-op validation and evaluation, TFLM style: validate() runs once per op
// at Pack::open and proves every read and write eval() will do stays inside
// the tensors' checked buffers; eval() then binds pointers and calls the
// kernel without re-checking anything.
#pragma once

#include <stdint.h>

#include "../mem.h"
#include "yono/format.h"
#include "yono/pack.h"
#include "yono/status.h"

namespace yono {
namespace ops {

// One op of one model. For validate(), tensor records have already passed
// the generic checks (rank, dims, size == decoded elements * 4 or, f16,
// elements * 2, offsets, code blocks and codebooks in bounds), only
// Conv/Dense weights may be encoded and only their biases f16, and the
// output is an activation; arena is null.
struct OpContext {
  const TensorRecord* tensors;  // the model's tensor range
  const uint32_t* inputs;       // model-local tensor indices
  uint32_t input_count;
  uint32_t output;  // model-local tensor index
  const uint8_t* params;
  uint32_t param_size;
  uint8_t* arena;
  const uint8_t* weights;              // the model's segment's Weights
  const CodeBlockRecord* code_blocks;  // the model's segment's code blocks
  const Pack* pack;                    // codebooks of encoded weights
  const ModelRecord* model;            // arena_size and scratch_size

  const TensorRecord& in(uint32_t i) const { return tensors[inputs[i]]; }
  const TensorRecord& out() const { return tensors[output]; }

  // Only for f32 tensors: an encoded tensor's offset is a code block index.
  const float* in_data(uint32_t i) const {
    const TensorRecord& t = in(i);
    const uint8_t* base = t.kind == static_cast<uint8_t>(TensorKind::kConstant) ? weights : arena;
    return reinterpret_cast<const float*>(base + t.offset);
  }
  float* out_data() const { return reinterpret_cast<float*>(arena + out().offset); }
};

using ValidateFn = Status (*)(const OpContext&);
using EvalFn = void (*)(const OpContext&);

struct OpEntry {
  uint32_t param_size;  // exact sizeof the op's params struct (0: none)
  // True if param_size is only the fixed head (AxisGather's tables follow
  // it); validate() then checks the exact size.
  bool variable_params;
  ValidateFn validate;
  EvalFn eval;
  // The op's int8 version (ops_s8.cpp), run when its output or first input
  // is kI8; null when the op has none.
  ValidateFn validate_s8;
  EvalFn eval_s8;
};

// True when an op runs its int8 version: decided by its tensors alone, the
// same way by the validator and by Session::invoke.
inline bool runs_s8(const TensorRecord& first_input, const TensorRecord& output) {
  return first_input.dtype == static_cast<uint8_t>(DType::kI8) ||
         output.dtype == static_cast<uint8_t>(DType::kI8);
}

// Null for a type this runtime does not know.
const OpEntry* op_entry(uint16_t type);

// Params are copied out instead of cast in place: the kernels take them by
// reference and the copy needs no alignment or aliasing assumptions.
template <typename P>
P load_params(const OpContext& ctx) {
  P p;
  rt::copy_bytes(&p, ctx.params, sizeof(P));
  return p;
}

// Elements of a tensor; validated tensors have at most 2^30 of them.
inline uint64_t elements(const TensorRecord& t) {
  return t.size / element_bytes(t.dtype);
}

inline bool is_constant(const TensorRecord& t) {
  return t.kind == static_cast<uint8_t>(TensorKind::kConstant);
}

// act_min <= act_max also rejects NaN bounds.
inline bool valid_clamp(float lo, float hi) {
  return lo <= hi;
}

// Kernels index with int32 arithmetic; every spatial quantity they compute
// must stay below this bound so no signed overflow can occur.
constexpr uint64_t kIndexLimit = 0x7FFFFFFFu;

// Checks one spatial axis of a windowed op (conv or pool): the first window
// must reach the input (pad < extent), the last window must start inside the
// input, and all index arithmetic stays below kIndexLimit.
bool valid_window_axis(uint64_t in, uint64_t out, uint64_t k, uint64_t stride, uint64_t dilation,
                       uint64_t pad);

Status validate_conv(const OpContext& ctx);
void eval_conv(const OpContext& ctx);
Status validate_dense(const OpContext& ctx);
void eval_dense(const OpContext& ctx);
Status validate_pool(const OpContext& ctx);
void eval_pool(const OpContext& ctx);
Status validate_global_pool(const OpContext& ctx);
void eval_global_pool(const OpContext& ctx);
Status validate_unary(const OpContext& ctx);
void eval_unary(const OpContext& ctx);
Status validate_binary(const OpContext& ctx);
void eval_binary(const OpContext& ctx);
Status validate_channel_affine(const OpContext& ctx);
void eval_channel_affine(const OpContext& ctx);
Status validate_concat(const OpContext& ctx);
void eval_concat(const OpContext& ctx);
Status validate_softmax(const OpContext& ctx);
void eval_softmax(const OpContext& ctx);
Status validate_pad(const OpContext& ctx);
void eval_pad(const OpContext& ctx);
Status validate_reshape(const OpContext& ctx);
void eval_reshape(const OpContext& ctx);
void eval_log_softmax(const OpContext& ctx);  // validated as Softmax
Status validate_axis_gather(const OpContext& ctx);
void eval_axis_gather(const OpContext& ctx);

// Shape checks shared by the f32 and int8 versions.
Status check_conv_shapes(const OpContext& ctx, const ConvParams& p);
Status check_dense_shapes(const OpContext& ctx, const DenseParams& p);
Status check_pool_shapes(const OpContext& ctx, const PoolParams& p);
Status check_global_pool_shapes(const OpContext& ctx, const GlobalPoolParams& p);
Status check_axis_gather_shapes(const OpContext& ctx);

// Int8 versions (ops_s8.cpp); each checks every tensor's dtype itself.
Status validate_conv_s8(const OpContext& ctx);
void eval_conv_s8(const OpContext& ctx);
Status validate_dense_s8(const OpContext& ctx);
void eval_dense_s8(const OpContext& ctx);
Status validate_pool_s8(const OpContext& ctx);
void eval_pool_s8(const OpContext& ctx);
Status validate_global_pool_s8(const OpContext& ctx);
void eval_global_pool_s8(const OpContext& ctx);
Status validate_unary_s8(const OpContext& ctx);
void eval_unary_s8(const OpContext& ctx);
Status validate_add_s8(const OpContext& ctx);
void eval_add_s8(const OpContext& ctx);
Status validate_reshape_s8(const OpContext& ctx);
Status validate_axis_gather_s8(const OpContext& ctx);
void eval_axis_gather_s8(const OpContext& ctx);
Status validate_convert(const OpContext& ctx);
void eval_convert(const OpContext& ctx);

}  // namespace ops
}  // namespace yono
