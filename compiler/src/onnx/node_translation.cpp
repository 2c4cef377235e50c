// One translator per supported ONNX op. Weights become IR constants; pure
// data-movement ops on activations become Reshape ops (free at run time).
#include "node_translation.h"

#include <cmath>
#include <functional>
#include <map>

#include "shape_ops.h"
#include "spatial_attrs.h"

namespace yono::onnx_import {
namespace {

using Node = onnx::NodeProto;

void emit_output(Importer& imp, const Node& n, ir::Attrs attrs, std::vector<int> inputs) {
  int t = imp.emit(n, std::move(attrs), std::move(inputs), n.output(0));
  imp.define_activation(n.output(0), t);
}

int add_constant(Importer& imp, const std::string& name, ir::Dims dims, std::vector<float> data) {
  ir::Tensor t;
  t.name = imp.unique_name(name);
  t.dims = std::move(dims);
  t.is_constant = true;
  t.data = std::move(data);
  return imp.graph().add_tensor(std::move(t));
}

const HostTensor& float_constant(const Importer& imp, const Node& n, int i, const char* what) {
  if (!imp.is_constant(n, i))
    imp.fail(n, std::string(what) + " must be an initializer or Constant");
  const HostTensor& t = imp.constant(n, i);
  if (t.is_int) imp.fail(n, std::string(what) + " must be float");
  return t;
}

float scalar_constant(const Importer& imp, const Node& n, int i, const char* what) {
  const HostTensor& t = float_constant(imp, n, i, what);
  if (t.values.size() != 1) imp.fail(n, std::string(what) + " must be a scalar");
  return static_cast<float>(t.values[0]);
}

void reshape_to(Importer& imp, const Node& n, const ir::Dims& target) {
  int x = imp.activation(n, 0);
  if (imp.graph().tensors[static_cast<size_t>(x)].dims == target) {
    imp.define_activation(n.output(0), x);  // a no-op reshape is an alias
    return;
  }
  emit_output(imp, n, ir::ReshapeAttrs{target}, {x});
}

void conv(Importer& imp, const Node& n) {
  const ir::Dims& x = imp.dims(n, 0);
  const HostTensor& w = float_constant(imp, n, 1, "weight");
  // Checked before the weight's spatial dims are taken from it.
  if (w.dims.size() != x.size() || w.dims.size() < 3)
    imp.fail(n, "weight rank does not match input rank");
  Window win = read_window(imp, n, x, {w.dims.begin() + 2, w.dims.end()});
  ir::ConvAttrs a;
  apply_window(win, a);
  a.dilation_w = win.dilations.back();
  if (win.dilations.size() == 2) a.dilation_h = win.dilations[0];
  a.groups = imp.attr_int(n, "group", 1);
  std::vector<int> inputs = {imp.activation(n, 0), imp.tensor(n, 1)};
  if (imp.has_input(n, 2)) {
    float_constant(imp, n, 2, "bias");
    inputs.push_back(imp.tensor(n, 2));
  }
  emit_output(imp, n, a, inputs);
}

// Dense weights are [out][in]; ONNX gives [in][out] unless transposed.
std::vector<float> out_by_in(const HostTensor& w, bool transposed, float scale) {
  int64_t rows = w.dims[0], cols = w.dims[1];
  std::vector<float> out(w.values.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      double v = w.values[static_cast<size_t>(r * cols + c)] * scale;
      size_t dst = static_cast<size_t>(transposed ? r * cols + c : c * rows + r);
      out[dst] = static_cast<float>(v);
    }
  return out;
}

void dense(Importer& imp, const Node& n, bool trans_b, float alpha, float beta) {
  const ir::Dims& x = imp.dims(n, 0);
  int xi = imp.activation(n, 0);
  const HostTensor& w = float_constant(imp, n, 1, "weight");
  if (x.size() != 2 || x[0] != 1) imp.fail(n, "input must be [1,K], got " + ir::dims_string(x));
  if (w.dims.size() != 2) imp.fail(n, "weight must be 2-D");
  int64_t out = trans_b ? w.dims[0] : w.dims[1];
  int64_t in = trans_b ? w.dims[1] : w.dims[0];
  if (in != x[1])
    imp.fail(n,
             "weight " + ir::dims_string(w.dims) + " does not match input " + ir::dims_string(x));
  bool plain = trans_b && alpha == 1.f;
  std::vector<int> inputs = {xi, plain ? imp.tensor(n, 1)
                                       : add_constant(imp, n.input(1) + "/dense", {out, in},
                                                      out_by_in(w, trans_b, alpha))};
  if (imp.has_input(n, 2) && beta != 0.f) {
    const HostTensor& c = float_constant(imp, n, 2, "bias C");
    if (beta == 1.f && c.dims == ir::Dims{out}) {
      inputs.push_back(imp.tensor(n, 2));
      emit_output(imp, n, ir::DenseAttrs{}, inputs);
      return;
    }
    std::vector<float> bias(static_cast<size_t>(out));
    if (c.values.size() == 1) {
      for (float& b : bias) b = static_cast<float>(c.values[0] * beta);
    } else if (static_cast<int64_t>(c.values.size()) == out &&
               (c.dims.size() == 1 || c.dims[0] == 1)) {
      for (size_t i = 0; i < bias.size(); ++i) bias[i] = static_cast<float>(c.values[i] * beta);
    } else {
      imp.fail(n, "bias C " + ir::dims_string(c.dims) + " must be a scalar or have " +
                      std::to_string(out) + " values");
    }
    inputs.push_back(add_constant(imp, n.input(2) + "/bias", {out}, bias));
  }
  emit_output(imp, n, ir::DenseAttrs{}, inputs);
}

void gemm(Importer& imp, const Node& n) {
  if (imp.attr_int(n, "transA", 0) != 0) imp.fail(n, "transA=1 is not supported");
  dense(imp, n, imp.attr_int(n, "transB", 0) != 0, imp.attr_float(n, "alpha", 1.f),
        imp.attr_float(n, "beta", 1.f));
}

void batch_norm(Importer& imp, const Node& n) {
  if (imp.attr_int(n, "training_mode", 0) != 0)
    imp.fail(n, "training_mode=1 uses batch statistics; export the model in eval mode");
  for (int i = 1; i < n.output_size(); ++i)
    if (!n.output(i).empty())
      imp.fail(n, "running-mean/var outputs mean a training-mode export; export in eval mode");
  const ir::Dims& x = imp.dims(n, 0);
  if (x.size() < 2) imp.fail(n, "input must be [1,C,...]");
  const HostTensor& gamma = float_constant(imp, n, 1, "scale");
  const HostTensor& beta = float_constant(imp, n, 2, "bias");
  const HostTensor& mean = float_constant(imp, n, 3, "mean");
  const HostTensor& var = float_constant(imp, n, 4, "var");
  auto c = static_cast<size_t>(x[1]);
  for (const HostTensor* t : {&gamma, &beta, &mean, &var})
    if (t->values.size() != c) imp.fail(n, "parameters must have " + std::to_string(c) + " values");
  double eps = imp.attr_float(n, "epsilon", 1e-5f);
  std::vector<float> scale(c), shift(c);
  for (size_t i = 0; i < c; ++i) {
    double s = gamma.values[i] / std::sqrt(var.values[i] + eps);
    scale[i] = static_cast<float>(s);
    shift[i] = static_cast<float>(beta.values[i] - mean.values[i] * s);
  }
  std::string base = imp.node_name(n);
  int s = add_constant(imp, base + "/scale", {x[1]}, scale);
  int b = add_constant(imp, base + "/shift", {x[1]}, shift);
  emit_output(imp, n, ir::ChannelAffineAttrs{}, {imp.activation(n, 0), s, b});
}

void unary(Importer& imp, const Node& n, ir::UnaryKind kind, float alpha, float beta) {
  emit_output(imp, n, ir::UnaryAttrs{kind, alpha, beta}, {imp.activation(n, 0)});
}

void clip(Importer& imp, const Node& n) {
  float lo = imp.has_input(n, 1) ? scalar_constant(imp, n, 1, "min") : ir::kNoMin;
  float hi = imp.has_input(n, 2) ? scalar_constant(imp, n, 2, "max") : ir::kNoMax;
  unary(imp, n, ir::UnaryKind::kClip, lo, hi);
}

void binary(Importer& imp, const Node& n) {
  const std::string& op = n.op_type();
  if (op == "Div") {
    // x / c == x * (1/c) up to rounding; only constant divisors are supported.
    if (!imp.is_constant(n, 1)) imp.fail(n, "only division by a constant is supported");
    const HostTensor& c = float_constant(imp, n, 1, "divisor");
    std::vector<float> inv;
    for (double v : c.values) inv.push_back(static_cast<float>(1.0 / v));
    int r = add_constant(imp, n.input(1) + "/reciprocal", c.dims, inv);
    emit_output(imp, n, ir::BinaryAttrs{ir::BinaryKind::kMul, {}}, {imp.activation(n, 0), r});
    return;
  }
  ir::BinaryKind kind = op == "Add"   ? ir::BinaryKind::kAdd
                        : op == "Sub" ? ir::BinaryKind::kSub
                                      : ir::BinaryKind::kMul;
  emit_output(imp, n, ir::BinaryAttrs{kind, {}}, {imp.tensor(n, 0), imp.tensor(n, 1)});
}

void pool(Importer& imp, const Node& n, ir::PoolKind kind) {
  if (imp.attr_int(n, "storage_order", 0) != 0) imp.fail(n, "storage_order=1 is not supported");
  for (int i = 1; i < n.output_size(); ++i)
    if (!n.output(i).empty()) imp.fail(n, "the Indices output is not supported");
  const ir::Dims& x = imp.dims(n, 0);
  Window win = read_window(imp, n, x, {});
  for (int64_t d : win.dilations)
    if (d != 1) imp.fail(n, "dilations other than 1 are not supported");
  ir::PoolAttrs a;
  a.kind = kind;
  apply_window(win, a);
  a.ceil_mode = imp.attr_int(n, "ceil_mode", 0) != 0;
  a.count_include_pad = imp.attr_int(n, "count_include_pad", 0) != 0;
  emit_output(imp, n, a, {imp.activation(n, 0)});
}

void global_pool(Importer& imp, const Node& n, ir::PoolKind kind, bool keepdims) {
  emit_output(imp, n, ir::GlobalPoolAttrs{kind, keepdims}, {imp.activation(n, 0)});
}

void reduce(Importer& imp, const Node& n, ir::PoolKind kind) {
  const ir::Dims& x = imp.dims(n, 0);
  std::vector<int64_t> axes = axes_of(imp, n, 18);
  std::vector<bool> reduced(x.size(), false);
  for (int64_t a : axes) reduced[static_cast<size_t>(normalise_axis(imp, n, a, x.size()))] = true;
  bool spatial_only = x.size() >= 3 && !reduced[0] && !reduced[1];
  for (size_t i = 2; i < x.size(); ++i) spatial_only = spatial_only && reduced[i];
  if (!spatial_only) imp.fail(n, "only reduction over all spatial axes is supported");
  global_pool(imp, n, kind, imp.attr_int(n, "keepdims", 1) != 0);
}

void pad(Importer& imp, const Node& n) {
  std::string mode = imp.attr_string(n, "mode", "constant");
  if (mode != "constant") imp.fail(n, "mode '" + mode + "' is not supported");
  const ir::Dims& x = imp.dims(n, 0);
  std::vector<int64_t> pads = imp.constant_ints(n, 1);
  size_t rank = x.size();
  if (pads.size() != 2 * rank) imp.fail(n, "pads must have 2 * rank values");
  if (rank != 3 && rank != 4) imp.fail(n, "input must be [1,C,L] or [1,C,H,W]");
  for (size_t i = 0; i < pads.size(); ++i) {
    if (pads[i] < 0) imp.fail(n, "negative pads are not supported");
    if (i % rank < 2 && pads[i] != 0) imp.fail(n, "only spatial dims may be padded");
  }
  ir::PadAttrs a;
  a.pad_left = pads[rank - 1];
  a.pad_right = pads[2 * rank - 1];
  if (rank == 4) {
    a.pad_top = pads[2];
    a.pad_bottom = pads[6];
  }
  if (imp.has_input(n, 2)) a.value = scalar_constant(imp, n, 2, "constant_value");
  if (a.pad_left == 0 && a.pad_right == 0 && a.pad_top == 0 && a.pad_bottom == 0) {
    imp.define_activation(n.output(0), imp.activation(n, 0));
    return;
  }
  emit_output(imp, n, a, {imp.activation(n, 0)});
}

void concat(Importer& imp, const Node& n) {
  std::vector<int> inputs;
  for (int i = 0; i < n.input_size(); ++i) inputs.push_back(imp.activation(n, i));
  int64_t axis = normalise_axis(imp, n, imp.attr_int(n, "axis", 0), imp.dims(n, 0).size());
  if (axis == 0) imp.fail(n, "concatenation along the batch axis is not supported");
  emit_output(imp, n, ir::ConcatAttrs{axis}, inputs);
}

void softmax(Importer& imp, const Node& n) {
  const ir::Dims& x = imp.dims(n, 0);
  int xi = imp.activation(n, 0);
  bool legacy = imp.opset() < 13;
  auto axis = static_cast<size_t>(
      normalise_axis(imp, n, imp.attr_int(n, "axis", legacy ? 1 : -1), x.size()));
  int64_t tail = 1;
  for (size_t i = axis + 1; i < x.size(); ++i) tail *= x[i];
  if (!legacy || tail == 1) {
    emit_output(imp, n, ir::SoftmaxAttrs{static_cast<int64_t>(axis)}, {xi});
    return;
  }
  // Before opset 13 the input is coerced to 2-D at axis: softmax runs over
  // all trailing dims together.
  ir::Dims flat = {1, 1};
  for (size_t i = 0; i < x.size(); ++i) flat[i < axis ? 0 : 1] *= x[i];
  ir::Dims orig = x;
  int f = imp.emit(n, ir::ReshapeAttrs{flat}, {xi}, n.output(0) + "/coerced");
  int s = imp.emit(n, ir::SoftmaxAttrs{1}, {f}, n.output(0) + "/softmax");
  imp.define_activation(n.output(0), imp.emit(n, ir::ReshapeAttrs{orig}, {s}, n.output(0)));
}

using Translator = std::function<void(Importer&, const Node&)>;

const std::map<std::string, Translator>& translators() {
  using U = ir::UnaryKind;
  static const std::map<std::string, Translator> table = {
      {"Conv", conv},
      {"Gemm", gemm},
      {"MatMul",
       [](Importer& i, const Node& n) {
         if (!i.is_constant(n, 1)) i.fail(n, "only MatMul by a constant weight is supported");
         dense(i, n, false, 1.f, 0.f);
       }},
      {"BatchNormalization", batch_norm},
      {"Relu", [](Importer& i, const Node& n) { unary(i, n, U::kRelu, 0.f, 0.f); }},
      {"LeakyRelu",
       [](Importer& i, const Node& n) {
         unary(i, n, U::kLeakyRelu, i.attr_float(n, "alpha", 0.01f), 0.f);
       }},
      {"Clip", clip},
      {"Sigmoid", [](Importer& i, const Node& n) { unary(i, n, U::kSigmoid, 0.f, 0.f); }},
      {"Tanh", [](Importer& i, const Node& n) { unary(i, n, U::kTanh, 0.f, 0.f); }},
      {"HardSigmoid",
       [](Importer& i, const Node& n) {
         unary(i, n, U::kHardSigmoid, i.attr_float(n, "alpha", 0.2f),
               i.attr_float(n, "beta", 0.5f));
       }},
      {"HardSwish", [](Importer& i, const Node& n) { unary(i, n, U::kHardSwish, 0.f, 0.f); }},
      {"Add", binary},
      {"Sub", binary},
      {"Mul", binary},
      {"Div", binary},
      {"MaxPool", [](Importer& i, const Node& n) { pool(i, n, ir::PoolKind::kMax); }},
      {"AveragePool", [](Importer& i, const Node& n) { pool(i, n, ir::PoolKind::kAverage); }},
      {"GlobalAveragePool",
       [](Importer& i, const Node& n) { global_pool(i, n, ir::PoolKind::kAverage, true); }},
      {"GlobalMaxPool",
       [](Importer& i, const Node& n) { global_pool(i, n, ir::PoolKind::kMax, true); }},
      {"ReduceMean", [](Importer& i, const Node& n) { reduce(i, n, ir::PoolKind::kAverage); }},
      {"ReduceMax", [](Importer& i, const Node& n) { reduce(i, n, ir::PoolKind::kMax); }},
      {"Flatten",
       [](Importer& i, const Node& n) { reshape_to(i, n, flatten_target(i, n, i.dims(n, 0))); }},
      {"Reshape",
       [](Importer& i, const Node& n) { reshape_to(i, n, reshape_target(i, n, i.dims(n, 0))); }},
      {"Squeeze",
       [](Importer& i, const Node& n) { reshape_to(i, n, squeeze_target(i, n, i.dims(n, 0))); }},
      {"Unsqueeze",
       [](Importer& i, const Node& n) { reshape_to(i, n, unsqueeze_target(i, n, i.dims(n, 0))); }},
      {"Pad", pad},
      {"Concat", concat},
      {"Softmax", softmax},
      {"Identity",
       [](Importer& i, const Node& n) { i.define_activation(n.output(0), i.activation(n, 0)); }},
      {"Dropout",  // inference: the identity; the mask output must be unused
       [](Importer& i, const Node& n) {
         if (n.output_size() > 1 && !n.output(1).empty())
           i.fail(n, "the mask output is not supported");
         i.define_activation(n.output(0), i.activation(n, 0));
       }},
  };
  return table;
}

}  // namespace

void translate_node(Importer& imp, const onnx::NodeProto& n) {
  bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
  auto it = translators().find(n.op_type());
  if (!default_domain || it == translators().end()) imp.fail(n, "unsupported op");
  if (n.output_size() < 1 || n.output(0).empty()) imp.fail(n, "node has no output");
  for (int i = 1; i < n.output_size(); ++i)
    if (!n.output(i).empty() && n.op_type() != "MaxPool" && n.op_type() != "Dropout" &&
        n.op_type() != "BatchNormalization")
      imp.fail(n, "only one output is supported");
  it->second(imp, n);
}

}  // namespace yono::onnx_import
