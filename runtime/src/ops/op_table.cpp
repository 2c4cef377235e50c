#include "op_table.h"

namespace yono {
namespace ops {
namespace {

// Indexed by OpType value; slot 0 is unused.
const OpEntry kEntries[kOpTypeCount] = {
    {0, false, nullptr, nullptr},
    {sizeof(ConvParams), false, validate_conv, eval_conv},
    {sizeof(DenseParams), false, validate_dense, eval_dense},
    {sizeof(PoolParams), false, validate_pool, eval_pool},
    {sizeof(GlobalPoolParams), false, validate_global_pool, eval_global_pool},
    {sizeof(UnaryParams), false, validate_unary, eval_unary},
    {sizeof(BinaryParams), false, validate_binary, eval_binary},
    {sizeof(ChannelAffineParams), false, validate_channel_affine, eval_channel_affine},
    {sizeof(ConcatParams), false, validate_concat, eval_concat},
    {sizeof(SoftmaxParams), false, validate_softmax, eval_softmax},
    {sizeof(PadParams), false, validate_pad, eval_pad},
    {0, false, validate_reshape, eval_reshape},
    {sizeof(AxisGatherParams), true, validate_axis_gather, eval_axis_gather},
    {sizeof(SoftmaxParams), false, validate_softmax, eval_log_softmax},
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
