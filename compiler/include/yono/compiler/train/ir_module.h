// An IR graph as a torch module: the one model definition (the IR) executed
// by libtorch for training and float reference evaluation. Includes libtorch:
// only the training sources and their tests may include this header.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono::train {

class IrModule : public torch::nn::Module {
 public:
  // Conv/Dense weights and biases become parameters initialised from the IR
  // constants. A ChannelAffine that alone consumes a Conv/Dense output
  // becomes a BatchNorm whose eval-mode output equals the affine; any other
  // ChannelAffine a trainable scale and shift. Other constants are buffers.
  // A final Softmax is left out when drop_final_softmax is set (the loss
  // wants logits; argmax is unchanged). Throws yono::Error on graphs with
  // several inputs or attributes torch cannot express. With batch_norm
  // unset, a ChannelAffine after a conv/dense stays a plain trainable affine
  // instead of becoming a batch norm: the module then computes exactly the
  // graph from the first step, which fine-tuning a trained (folded) model
  // needs.
  explicit IrModule(const ir::Graph& g, bool drop_final_softmax = true, bool batch_norm = true);

  // x: [N, sample dims...] -> first graph output with batch N.
  torch::Tensor forward(const torch::Tensor& x);
  // Every tensor's value for x, by tensor index (undefined for those forward
  // never computes): the inputs each layer saw, for calibration.
  std::vector<torch::Tensor> forward_values(const torch::Tensor& x);

  // Conv/Dense weights (weight decay applies) and everything else trainable.
  std::vector<torch::Tensor> decayed_parameters() const;
  std::vector<torch::Tensor> other_parameters() const;

  // Copies the current values into g, which must be the graph this module
  // was built from (same ops and tensors). Batch norms are folded with their
  // running statistics into scale/shift: exactly the eval-mode output.
  void write_back(ir::Graph& g) const;

  // Fine-tuning a quantized model: the parameter holding op `op`'s
  // Conv/Dense weight (undefined for other ops), and a tensor forward uses in
  // its place, rebuilt each step from codebook and codes (undefined: the
  // parameter again).
  torch::Tensor weight_parameter(size_t op) const;
  void set_forward_weight(size_t op, torch::Tensor w);

 private:
  struct Layer {
    torch::Tensor weight, bias;    // Conv/Dense; ChannelAffine: scale, shift
    torch::Tensor mean, var;       // batch norm running statistics
    torch::Tensor forward_weight;  // replaces weight in forward when defined
    bool batch_norm = false;
  };

  torch::Tensor run_op(size_t index, const std::vector<torch::Tensor>& values);
  torch::Tensor value(int tensor, const std::vector<torch::Tensor>& values) const;

  ir::Graph graph_;            // structure and attributes; constants live in layers_/constants_
  std::vector<Layer> layers_;  // one per op
  std::vector<torch::Tensor> constants_;  // by tensor index; defined for buffer constants
  size_t op_count_ = 0;                   // ops run by forward
  static constexpr double kBnEps = 1e-5;
};

}  // namespace yono::train
