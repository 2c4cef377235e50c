// Kernel/stride/dilation/pads of Conv and Pool nodes, with auto_pad resolved.
#pragma once

#include "importer.h"

namespace yono::onnx_import {

struct Window {  // per spatial axis: [H, W] for 2-D, [W] for 1-D
  std::vector<int64_t> kernel, strides, dilations, pad_begin, pad_end;
};

// kernel: the kernel extent per spatial axis (from the weight for Conv, from
// kernel_shape for pools). spatial: 1 or 2.
Window read_window(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& input,
                   std::vector<int64_t> kernel);

// Copies a Window into the H/W fields of ConvAttrs or PoolAttrs; 1-D windows
// go to the W fields.
template <typename A>
void apply_window(const Window& w, A& a) {
  bool two_d = w.kernel.size() == 2;
  size_t x = two_d ? 1 : 0;
  a.kw = w.kernel[x];
  a.stride_w = w.strides[x];
  a.pad_left = w.pad_begin[x];
  a.pad_right = w.pad_end[x];
  if (two_d) {
    a.kh = w.kernel[0];
    a.stride_h = w.strides[0];
    a.pad_top = w.pad_begin[0];
    a.pad_bottom = w.pad_end[0];
  }
}

}  // namespace yono::onnx_import
