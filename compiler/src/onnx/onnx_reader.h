// Loading an .onnx file and decoding its constant tensors.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::onnx_import {

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
