#include "op_table.h"

namespace yono {
namespace ops {
namespace {

// Indexed by OpType value; slot 0 is unused.
const OpEntry kEntries[kOpTypeCount] = {
    {0, false, nullptr, nullptr, nullptr, nullptr},
    {sizeof(ConvParams), false, validate_conv, eval_conv, validate_conv_s8, eval_conv_s8},
    {sizeof(DenseParams), false, validate_dense, eval_dense, validate_dense_s8, eval_dense_s8},
    {sizeof(PoolParams), false, validate_pool, eval_pool, validate_pool_s8, eval_pool_s8},
    {sizeof(GlobalPoolParams), false, validate_global_pool, eval_global_pool,
     validate_global_pool_s8, eval_global_pool_s8},
    {sizeof(UnaryParams), false, validate_unary, eval_unary, validate_unary_s8, eval_unary_s8},
    {sizeof(BinaryParams), false, validate_binary, eval_binary, validate_add_s8, eval_add_s8},
    {sizeof(ChannelAffineParams), false, validate_channel_affine, eval_channel_affine, nullptr,
     nullptr},
    {sizeof(ConcatParams), false, validate_concat, eval_concat, nullptr, nullptr},
    {sizeof(SoftmaxParams), false, validate_softmax, eval_softmax, nullptr, nullptr},
    {sizeof(PadParams), false, validate_pad, eval_pad, nullptr, nullptr},
    {0, false, validate_reshape, eval_reshape, validate_reshape_s8, eval_reshape},
    {sizeof(AxisGatherParams), true, validate_axis_gather, eval_axis_gather,
     validate_axis_gather_s8, eval_axis_gather_s8},
    {sizeof(SoftmaxParams), false, validate_softmax, eval_log_softmax, nullptr, nullptr},
    // Convert always has an int8 side: no f32 version.
    {0, false, nullptr, nullptr, validate_convert, eval_convert},
};

}  // namespace

const OpEntry* op_entry(uint16_t type) {
  if (type == 0 || type >= kOpTypeCount) return nullptr;
  return &kEntries[type];
}

bool valid_window_axis(uint64_t in, uint64_t out, uint64_t k, uint64_t stride, uint64_t dilation,
                       uint64_t pad) {
  if (in == 0 || out == 0 || k == 0 || stride == 0 || dilation == 0) return false;
  if (k > kIndexLimit || dilation > kIndexLimit || stride > kIndexLimit) return false;
  const uint64_t extent = (k - 1) * dilation + 1;
  if (pad >= extent) return false;
  const uint64_t last_start = (out - 1) * stride;  // relative to -pad
  if (last_start >= in + pad) return false;
  return last_start + extent + pad + in <= kIndexLimit;
}

}  // namespace ops
}  // namespace yono
