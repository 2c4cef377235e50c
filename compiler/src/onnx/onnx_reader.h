// Loading an .onnx file and decoding its constant tensors.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::onnx_import {

// The largest dimension, kernel extent, stride, dilation or pad a model may
// give. The pack stores them as u32 and kernels index in 32 bits, and
// keeping every factor below 2^31 keeps the shape arithmetic on them
// (sums, a product of two) inside int64.
constexpr int64_t kMaxDim = (int64_t{1} << 31) - 1;

// A constant known at import time. Shapes/axes/pads are int64 in ONNX and
// weights float; both fit exactly in double, so one container serves both
// and folding arithmetic on it rounds like float or int64 arithmetic would.
struct HostTensor {
  ir::Dims dims;  // may be empty (a scalar)
  bool is_int = false;
  std::vector<double> values;
};

// Throws yono::Error naming path if it is missing or not a valid model.
onnx::ModelProto load_model(const std::string& path);

// The default-domain opset; throws unless it is within 11..17.
int default_opset(const onnx::ModelProto& model, const std::string& path);

// Float (raw_data or float_data) and int64 (raw_data or int64_data) only;
// `where` prefixes the error message.
HostTensor decode_tensor(const onnx::TensorProto& t, const std::string& where);

}  // namespace yono::onnx_import
