#include "spatial_attrs.h"

#include <algorithm>

namespace yono::onnx_import {

Window read_window(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& input,
                   std::vector<int64_t> kernel) {
  if (input.size() != 3 && input.size() != 4)
    imp.fail(n, "input must be [1,C,L] or [1,C,H,W], got " + ir::dims_string(input));
  size_t spatial = input.size() - 2;
  auto list = [&](const char* name, int64_t def, size_t count) {
    std::vector<int64_t> v = imp.attr_ints(n, name, std::vector<int64_t>(count, def));
    if (v.size() != count)
      imp.fail(n, std::string(name) + " has " + std::to_string(v.size()) + " values, expected " +
                      std::to_string(count));
    return v;
  };
  Window w;
  w.kernel = imp.has_attr(n, "kernel_shape") ? list("kernel_shape", 1, spatial) : kernel;
  if (w.kernel != kernel && !kernel.empty()) imp.fail(n, "kernel_shape does not match the weight");
  if (w.kernel.size() != spatial) imp.fail(n, "kernel_shape is required");
  w.strides = list("strides", 1, spatial);
  w.dilations = list("dilations", 1, spatial);
  std::vector<int64_t> pads = list("pads", 0, 2 * spatial);
  w.pad_begin.assign(pads.begin(), pads.begin() + static_cast<long>(spatial));
  w.pad_end.assign(pads.begin() + static_cast<long>(spatial), pads.end());
  for (size_t i = 0; i < spatial; ++i)
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1 || w.pad_begin[i] < 0 ||
        w.pad_end[i] < 0)
      imp.fail(n, "kernel, strides and dilations must be positive and pads non-negative");
    else if (w.kernel[i] > kMaxDim || w.strides[i] > kMaxDim || w.dilations[i] > kMaxDim ||
             w.pad_begin[i] > kMaxDim || w.pad_end[i] > kMaxDim)
      imp.fail(n, "kernel, strides, dilations and pads must be below 2^31");

  std::string auto_pad = imp.attr_string(n, "auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") return w;
  if (imp.has_attr(n, "pads")) imp.fail(n, "pads given together with auto_pad " + auto_pad);
  if (auto_pad == "VALID") return w;
  if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
    imp.fail(n, "auto_pad " + auto_pad + " is not supported");
  for (size_t i = 0; i < spatial; ++i) {
    // SAME: output = ceil(input / stride); the odd pad goes to the end
    // (UPPER) or the beginning (LOWER).
    int64_t in = input[2 + i];
    int64_t out = (in + w.strides[i] - 1) / w.strides[i];
    int64_t extent = (w.kernel[i] - 1) * w.dilations[i] + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + extent - in);
    int64_t small = total / 2;
    w.pad_begin[i] = auto_pad == "SAME_UPPER" ? small : total - small;
    w.pad_end[i] = total - w.pad_begin[i];
  }
  return w;
}

}  // namespace yono::onnx_import
