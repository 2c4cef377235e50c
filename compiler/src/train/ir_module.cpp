#include "yono/compiler/train/ir_module.h"

#include <cmath>
#include <type_traits>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/axis_gather.h"

namespace yono::train {
namespace {

namespace F = torch::nn::functional;

torch::Tensor from_ir(const ir::Tensor& t) {
  std::vector<int64_t> shape(t.dims.begin(), t.dims.end());
  return torch::from_blob(const_cast<float*>(t.data.data()), shape, torch::kFloat32).clone();
}

void to_ir(const torch::Tensor& src, ir::Tensor& dst) {
  torch::Tensor c = src.detach().to(torch::kFloat32).contiguous();
  if (c.numel() != ir::element_count(dst.dims))
    throw Error("write back: '" + dst.name + "' changed size");
  dst.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

bool consumed_only_by(const ir::Graph& g, int tensor, size_t op_index) {
  for (size_t i = 0; i < g.ops.size(); ++i)
    for (int in : g.ops[i].inputs)
      if (in == tensor && i != op_index) return false;
  for (int out : g.outputs)
    if (out == tensor) return false;
  return true;
}

// Index of the op producing tensor t, or -1 (graph input or constant).
int producer(const ir::Graph& g, int t) {
  for (size_t i = 0; i < g.ops.size(); ++i)
    if (g.ops[i].outputs[0] == t) return static_cast<int>(i);
  return -1;
}

torch::Tensor activate(torch::Tensor x, const ir::Activation& a) {
  if (a.is_identity()) return x;
  if (a.min == 0.f && a.max == ir::kNoMax) return torch::relu(x);
  c10::optional<c10::Scalar> lo, hi;
  if (a.min != ir::kNoMin) lo = a.min;
  if (a.max != ir::kNoMax) hi = a.max;
  return torch::clamp(x, lo, hi);
}

// Shape [1, C, 1, ...] that broadcasts a per-channel vector over x.
std::vector<int64_t> channel_shape(const torch::Tensor& x) {
  std::vector<int64_t> s(static_cast<size_t>(x.dim()), 1);
  s[1] = x.size(1);
  return s;
}

// An op torch cannot run as the IR states it.
Error op_error(const ir::Op& op, const std::string& problem) {
  return Error(std::string(ir::op_type_name(op)) + " op '" + op.name + "': " + problem);
}

// 2-D for a 4-D x, else 1-D. torch pads both sides of an axis alike, so
// asymmetric padding is applied apart, as a zero pad before the conv.
torch::Tensor conv_forward(const torch::Tensor& x, const ir::ConvAttrs& a,
                           const torch::Tensor& weight, const torch::Tensor& bias) {
  torch::Tensor in = x;
  const bool d2 = x.dim() == 4;
  const bool symmetric = a.pad_top == a.pad_bottom && a.pad_left == a.pad_right;
  if (!symmetric) {
    in = d2 ? torch::constant_pad_nd(in, {a.pad_left, a.pad_right, a.pad_top, a.pad_bottom})
            : torch::constant_pad_nd(in, {a.pad_left, a.pad_right});
  }
  const int64_t ph = symmetric ? a.pad_top : 0, pw = symmetric ? a.pad_left : 0;
  torch::Tensor y =
      d2 ? torch::conv2d(in, weight, bias, {a.stride_h, a.stride_w}, {ph, pw},
                         {a.dilation_h, a.dilation_w}, a.groups)
         : torch::conv1d(in, weight, bias, {a.stride_w}, {pw}, {a.dilation_w}, a.groups);
  return activate(y, a.act);
}

// 2-D for a 4-D x, else 1-D. Asymmetric padding cannot be a zero pad first
// as for a conv: max would see the zeros, and average would count them.
torch::Tensor pool_forward(const ir::Op& op, const torch::Tensor& x, const ir::PoolAttrs& a) {
  if (a.pad_top != a.pad_bottom || a.pad_left != a.pad_right)
    throw op_error(op, "asymmetric pool padding is not supported by the trainer");
  const bool max = a.kind == ir::PoolKind::kMax;
  if (x.dim() == 4) {
    return max ? torch::max_pool2d(x, {a.kh, a.kw}, {a.stride_h, a.stride_w},
                                   {a.pad_top, a.pad_left}, {1, 1}, a.ceil_mode)
               : torch::avg_pool2d(x, {a.kh, a.kw}, {a.stride_h, a.stride_w},
                                   {a.pad_top, a.pad_left}, a.ceil_mode, a.count_include_pad);
  }
  return max ? torch::max_pool1d(x, {a.kw}, {a.stride_w}, {a.pad_left}, {1}, a.ceil_mode)
             : torch::avg_pool1d(x, {a.kw}, {a.stride_w}, {a.pad_left}, a.ceil_mode,
                                 a.count_include_pad);
}

// Over every axis after the channel one.
torch::Tensor global_pool_forward(const torch::Tensor& x, const ir::GlobalPoolAttrs& a) {
  std::vector<int64_t> axes;
  for (int64_t d = 2; d < x.dim(); ++d) axes.push_back(d);
  torch::Tensor y = a.kind == ir::PoolKind::kMax   ? torch::amax(x, axes, true)
                    : a.kind == ir::PoolKind::kSum ? torch::sum(x, axes, true)
                                                   : torch::mean(x, axes, true);
  return a.keepdims ? y : y.flatten(1);
}

torch::Tensor unary_forward(const ir::Op& op, const torch::Tensor& x, const ir::UnaryAttrs& a) {
  switch (a.kind) {
    case ir::UnaryKind::kRelu: return torch::relu(x);
    case ir::UnaryKind::kLeakyRelu: return torch::leaky_relu(x, a.alpha);
    case ir::UnaryKind::kClip: return activate(x, ir::Activation{a.alpha, a.beta});
    case ir::UnaryKind::kSigmoid: return torch::sigmoid(x);
    case ir::UnaryKind::kTanh: return torch::tanh(x);
    case ir::UnaryKind::kHardSigmoid: return torch::clamp(x * a.alpha + a.beta, 0.0, 1.0);
    case ir::UnaryKind::kHardSwish: return x * torch::clamp(x / 6.0 + 0.5, 0.0, 1.0);
  }
  throw op_error(op, "unknown unary kind");
}

torch::Tensor binary_forward(const torch::Tensor& x, const torch::Tensor& b,
                             const ir::BinaryAttrs& a) {
  torch::Tensor y = a.kind == ir::BinaryKind::kAdd   ? x + b
                    : a.kind == ir::BinaryKind::kSub ? x - b
                    : a.kind == ir::BinaryKind::kMul ? x * b
                    : a.kind == ir::BinaryKind::kDiv ? x / b
                                                     : torch::where(x >= 0, x, x * b);
  return activate(y, a.act);
}

// The spatial axes only: H and W of a 4-D x, else the last.
torch::Tensor pad_forward(const torch::Tensor& x, const ir::PadAttrs& a) {
  if (x.dim() == 4)
    return torch::constant_pad_nd(x, {a.pad_left, a.pad_right, a.pad_top, a.pad_bottom}, a.value);
  return torch::constant_pad_nd(x, {a.pad_left, a.pad_right}, a.value);
}

// The gather's flat indices are per sample (the IR's batch is 1), so each
// sample is gathered alone; the batch axis must stay in front.
torch::Tensor axis_gather_forward(const ir::Op& op, const torch::Tensor& x,
                                  const ir::AxisGatherAttrs& a) {
  if (a.dims.empty() || a.dims[0] != 1)
    throw op_error(op, "only gathers that keep the batch axis in front are supported");
  const std::vector<int64_t> flat = ir::flat_indices(a);
  torch::Tensor index = torch::tensor(flat, torch::kLong).to(x.device());
  std::vector<int64_t> shape(a.dims.begin(), a.dims.end());
  shape[0] = x.size(0);
  return x.reshape({x.size(0), -1}).index_select(1, index).reshape(shape);
}

// The IR's shapes are for batch 1; the batch axis keeps x's size.
torch::Tensor reshape_forward(const ir::Op& op, const torch::Tensor& x, const ir::ReshapeAttrs& a) {
  if (a.dims.empty() || a.dims[0] != 1)
    throw op_error(op, "only reshapes that keep the batch axis are supported");
  std::vector<int64_t> shape(a.dims.begin(), a.dims.end());
  shape[0] = x.size(0);
  return x.reshape(shape);
}

}  // namespace

IrModule::IrModule(const ir::Graph& g, bool drop_final_softmax, bool batch_norm) : graph_(g) {
  if (g.inputs.size() != 1 || g.outputs.empty())
    throw Error("model '" + g.name + "': training needs exactly one input and an output");
  for (ir::Tensor& t : graph_.tensors) t.data.clear();  // values live in torch tensors
  op_count_ = g.ops.size();
  if (drop_final_softmax && !g.ops.empty() &&
      std::holds_alternative<ir::SoftmaxAttrs>(g.ops.back().attrs) &&
      g.ops.back().outputs[0] == g.outputs[0])
    --op_count_;

  layers_.resize(g.ops.size());
  constants_.resize(g.tensors.size());
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const ir::Op& op = g.ops[i];
    Layer& L = layers_[i];
    const std::string id = "op" + std::to_string(i);
    const bool has_weights = std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
                             std::holds_alternative<ir::DenseAttrs>(op.attrs);
    if (has_weights) {
      L.weight = register_parameter(id + "_weight", from_ir(g.tensors[op.inputs[1]]));
      if (op.inputs.size() > 2)
        L.bias = register_parameter(id + "_bias", from_ir(g.tensors[op.inputs[2]]).reshape({-1}));
      continue;
    }
    if (std::holds_alternative<ir::ChannelAffineAttrs>(op.attrs)) {
      torch::Tensor scale = from_ir(g.tensors[op.inputs[1]]).reshape({-1});
      torch::Tensor shift = from_ir(g.tensors[op.inputs[2]]).reshape({-1});
      const int p = producer(g, op.inputs[0]);
      L.batch_norm = batch_norm && p >= 0 && consumed_only_by(g, op.inputs[0], i) &&
                     (std::holds_alternative<ir::ConvAttrs>(g.ops[p].attrs) ||
                      std::holds_alternative<ir::DenseAttrs>(g.ops[p].attrs));
      if (L.batch_norm) {
        // mean 0, var 1: gamma / sqrt(1 + eps) * x + beta == scale * x + shift.
        scale = scale * static_cast<float>(std::sqrt(1.0 + kBnEps));
        L.mean = register_buffer(id + "_mean", torch::zeros_like(shift));
        L.var = register_buffer(id + "_var", torch::ones_like(shift));
      }
      L.weight = register_parameter(id + "_scale", scale);
      L.bias = register_parameter(id + "_shift", shift);
      continue;
    }
    for (int in : op.inputs)
      if (g.tensors[in].is_constant && !constants_[in].defined())
        constants_[in] = register_buffer("const" + std::to_string(in), from_ir(g.tensors[in]));
  }
}

torch::Tensor IrModule::value(int tensor, const std::vector<torch::Tensor>& values) const {
  const torch::Tensor& v = graph_.tensors[tensor].is_constant ? constants_[tensor] : values[tensor];
  if (!v.defined())
    throw Error("model '" + graph_.name + "': tensor '" + graph_.tensors[tensor].name +
                "' is used before it is computed");
  return v;
}

torch::Tensor IrModule::run_op(size_t index, const std::vector<torch::Tensor>& values) {
  const ir::Op& op = graph_.ops[index];
  Layer& L = layers_[index];
  const torch::Tensor x = value(op.inputs[0], values);
  // Fine-tuning a quantized model rebuilds the weight from codebook and codes.
  const torch::Tensor& weight = L.forward_weight.defined() ? L.forward_weight : L.weight;
  return std::visit(
      [&](const auto& a) -> torch::Tensor {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ir::ConvAttrs>) {
          return conv_forward(x, a, weight, L.bias);
        } else if constexpr (std::is_same_v<T, ir::DenseAttrs>) {
          return activate(torch::linear(x.flatten(1), weight, L.bias), a.act);
        } else if constexpr (std::is_same_v<T, ir::PoolAttrs>) {
          return pool_forward(op, x, a);
        } else if constexpr (std::is_same_v<T, ir::GlobalPoolAttrs>) {
          return global_pool_forward(x, a);
        } else if constexpr (std::is_same_v<T, ir::UnaryAttrs>) {
          return unary_forward(op, x, a);
        } else if constexpr (std::is_same_v<T, ir::BinaryAttrs>) {
          return binary_forward(x, value(op.inputs[1], values), a);
        } else if constexpr (std::is_same_v<T, ir::ChannelAffineAttrs>) {
          if (L.batch_norm)
            return activate(torch::batch_norm(x, L.weight, L.bias, L.mean, L.var, is_training(),
                                              0.1, kBnEps, false),
                            a.act);
          return activate(x * L.weight.view(channel_shape(x)) + L.bias.view(channel_shape(x)),
                          a.act);
        } else if constexpr (std::is_same_v<T, ir::ConcatAttrs>) {
          std::vector<torch::Tensor> parts;
          for (int in : op.inputs) parts.push_back(value(in, values));
          return torch::cat(parts, a.axis);
        } else if constexpr (std::is_same_v<T, ir::SoftmaxAttrs>) {
          return a.log ? torch::log_softmax(x, a.axis) : torch::softmax(x, a.axis);
        } else if constexpr (std::is_same_v<T, ir::PadAttrs>) {
          return pad_forward(x, a);
        } else if constexpr (std::is_same_v<T, ir::ReshapeAttrs>) {
          return reshape_forward(op, x, a);
        } else if constexpr (std::is_same_v<T, ir::AxisGatherAttrs>) {
          return axis_gather_forward(op, x, a);
        } else if constexpr (std::is_same_v<T, ir::ConvertAttrs>) {
          throw Error("op '" + op.name +
                      "': an int8 graph is not trained; fine-tune before quantizing activations");
          return x;
        }
      },
      op.attrs);
}

std::vector<torch::Tensor> IrModule::forward_values(const torch::Tensor& x) {
  std::vector<torch::Tensor> values(graph_.tensors.size());
  values[graph_.inputs[0]] = x;
  for (size_t i = 0; i < op_count_; ++i) values[graph_.ops[i].outputs[0]] = run_op(i, values);
  return values;
}

torch::Tensor IrModule::forward(const torch::Tensor& x) {
  const std::vector<torch::Tensor> values = forward_values(x);
  const int out = op_count_ < graph_.ops.size() ? graph_.ops.back().inputs[0] : graph_.outputs[0];
  return value(out, values);
}

std::vector<torch::Tensor> IrModule::decayed_parameters() const {
  std::vector<torch::Tensor> p;
  for (size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].weight.defined() &&
        !std::holds_alternative<ir::ChannelAffineAttrs>(graph_.ops[i].attrs))
      p.push_back(layers_[i].weight);
  return p;
}

std::vector<torch::Tensor> IrModule::other_parameters() const {
  std::vector<torch::Tensor> p;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const bool affine = std::holds_alternative<ir::ChannelAffineAttrs>(graph_.ops[i].attrs);
    if (affine && layers_[i].weight.defined()) p.push_back(layers_[i].weight);
    if (layers_[i].bias.defined()) p.push_back(layers_[i].bias);
  }
  return p;
}

torch::Tensor IrModule::weight_parameter(size_t op) const {
  if (op >= layers_.size() || std::holds_alternative<ir::ChannelAffineAttrs>(graph_.ops[op].attrs))
    return {};
  return layers_[op].weight;
}

void IrModule::set_forward_weight(size_t op, torch::Tensor w) {
  layers_.at(op).forward_weight = std::move(w);
}

void IrModule::write_back(ir::Graph& g) const {
  if (g.ops.size() != graph_.ops.size() || g.tensors.size() != graph_.tensors.size())
    throw Error("write back: graph '" + g.name + "' is not the one the module was built from");
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Layer& L = layers_[i];
    const ir::Op& op = g.ops[i];
    if (!L.weight.defined()) continue;
    if (!std::holds_alternative<ir::ChannelAffineAttrs>(op.attrs)) {
      to_ir(L.weight, g.tensors[op.inputs[1]]);
      if (L.bias.defined()) to_ir(L.bias, g.tensors[op.inputs[2]]);
      continue;
    }
    torch::Tensor scale = L.weight.to(torch::kFloat64), shift = L.bias.to(torch::kFloat64);
    if (L.batch_norm) {
      // Eval-mode batch norm: gamma * (x - mean) / sqrt(var + eps) + beta.
      torch::Tensor s = scale / torch::sqrt(L.var.to(torch::kFloat64) + kBnEps);
      shift = shift - L.mean.to(torch::kFloat64) * s;
      scale = s;
    }
    to_ir(scale, g.tensors[op.inputs[1]]);
    to_ir(shift, g.tensors[op.inputs[2]]);
  }
}

}  // namespace yono::train
