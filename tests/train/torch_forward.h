// One forward pass of an IrModule in whatever mode the caller set (eval for
// inference checks, train to see batch statistics act), as a flat vector.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/compiler/train/ir_module.h"

namespace yono::test {

inline std::vector<float> torch_forward(train::IrModule& m, const std::vector<float>& input,
                                        const ir::Dims& dims) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::from_blob(const_cast<float*>(input.data()),
                                     std::vector<int64_t>(dims.begin(), dims.end()));
  torch::Tensor y = m.forward(x).contiguous();
  return std::vector<float>(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
}

}  // namespace yono::test
