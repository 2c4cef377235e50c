// One translator per supported ONNX op. Weights become IR constants; pure
// data-movement ops on activations become Reshape ops (free at run time).
#include "node_translation.h"

#include <cmath>
#include <map>

#include "gather_translation.h"
#include "shape_ops.h"
#include "spatial_attrs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/ir/axis_gather.h"
#include "yono/compiler/ir/op_shape.h"

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

// Operands the Binary kernel cannot broadcast itself (anything beyond equal
// shapes, scalars and per-channel) are repeated to the output shape first:
// a constant on the host, an activation by an Expand gather.
std::pair<int, int> broadcast_operands(Importer& imp, const Node& n, int a, int b) {
  const ir::Dims da = imp.graph().tensors[static_cast<size_t>(a)].dims;
  const ir::Dims db = imp.graph().tensors[static_cast<size_t>(b)].dims;
  if (ir::binary_operands_fit(da, db)) return {a, b};
  ir::Dims out;
  try {
    out = ir::broadcast_dims(da, db);
  } catch (const Error& e) {
    imp.fail(n, e.what());
  }
  // A constant operand is repeated on the host: 2^24 values (64 MB) is far
  // past any model a microcontroller runs.
  int64_t count = 1;
  for (int64_t d : out)
    if (d < 1 || __builtin_mul_overflow(count, d, &count) || count > (int64_t{1} << 24))
      imp.fail(n, "broadcasting to " + ir::dims_string(out) + " is too large");
  auto widen = [&](int t) {
    const ir::Tensor& x = imp.graph().tensors[static_cast<size_t>(t)];
    if (x.dims == out) return t;
    if (!x.is_constant) return expand_tensor(imp, n, t, out);
    ir::Dims aligned(out.size() - x.dims.size(), 1);
    aligned.insert(aligned.end(), x.dims.begin(), x.dims.end());
    std::vector<int64_t> strides(out.size(), 0);
    for (int64_t k = static_cast<int64_t>(out.size()) - 1, s = 1; k >= 0; --k) {
      strides[static_cast<size_t>(k)] = aligned[static_cast<size_t>(k)] == 1 ? 0 : s;
      s *= aligned[static_cast<size_t>(k)];
    }
    std::vector<float> data;
    std::vector<int64_t> idx(out.size(), 0);
    for (int64_t i = 0, total = ir::element_count(out); i < total; ++i) {
      int64_t off = 0;
      for (size_t k = 0; k < out.size(); ++k) off += idx[k] * strides[k];
      data.push_back(x.data[static_cast<size_t>(off)]);
      for (size_t k = out.size(); k-- > 0;)
        if (++idx[k] < out[k])
          break;
        else
          idx[k] = 0;
    }
    return add_constant(imp, x.name + "/expanded", out, std::move(data));
  };
  return {widen(a), widen(b)};
}

bool bias_into_row_conv(Importer& imp, const Node& n);  // with matmul, below

void binary(Importer& imp, const Node& n) {
  const std::string& op = n.op_type();
  if (op == "Div" && imp.is_constant(n, 1)) {
    // x / c == x * (1/c) up to rounding, and a multiply folds into a conv.
    const HostTensor& c = float_constant(imp, n, 1, "divisor");
    std::vector<float> inv;
    for (double v : c.values) inv.push_back(static_cast<float>(1.0 / v));
    int r = add_constant(imp, n.input(1) + "/reciprocal", c.dims, inv);
    auto [a, b] = broadcast_operands(imp, n, imp.activation(n, 0), r);
    emit_output(imp, n, ir::BinaryAttrs{ir::BinaryKind::kMul, {}}, {a, b});
    return;
  }
  if (op == "Add" && bias_into_row_conv(imp, n)) return;
  ir::BinaryKind kind = op == "Add"   ? ir::BinaryKind::kAdd
                        : op == "Sub" ? ir::BinaryKind::kSub
                        : op == "Mul" ? ir::BinaryKind::kMul
                        : op == "Div" ? ir::BinaryKind::kDiv
                                      : ir::BinaryKind::kPRelu;
  if (kind == ir::BinaryKind::kPRelu) {
    // The slope broadcasts to x (never the other way): widen it alone.
    int x = imp.activation(n, 0);
    auto [a, b] = broadcast_operands(imp, n, x, imp.tensor(n, 1));
    if (a != x)
      imp.fail(n, "slope " + ir::dims_string(imp.dims(n, 1)) + " is larger than the input");
    emit_output(imp, n, ir::BinaryAttrs{kind, {}}, {a, b});
    return;
  }
  auto [a, b] = broadcast_operands(imp, n, imp.tensor(n, 0), imp.tensor(n, 1));
  emit_output(imp, n, ir::BinaryAttrs{kind, {}}, {a, b});
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

// Over all spatial axes: a GlobalPool. Over any other set: the reduced axes
// are gathered innermost (if they are not already), the kept ones become the
// pool's channels, and a reshape gives the ONNX output shape.
void reduce(Importer& imp, const Node& n, ir::PoolKind kind, int axes_input_since) {
  (void)imp.activation(n, 0);  // computed (a constant's dims bound nothing here)
  const ir::Dims x = imp.dims(n, 0);
  std::vector<int64_t> axes = axes_of(imp, n, axes_input_since);
  const bool keepdims = imp.attr_int(n, "keepdims", 1) != 0;
  if (axes.empty() && imp.attr_int(n, "noop_with_empty_axes", 0) != 0) {
    imp.define_activation(n.output(0), imp.activation(n, 0));
    return;
  }
  std::vector<bool> reduced(x.size(), axes.empty());
  for (int64_t a : axes) reduced[static_cast<size_t>(normalise_axis(imp, n, a, x.size()))] = true;
  bool spatial_only = x.size() >= 3 && !reduced[0] && !reduced[1];
  for (size_t i = 2; i < x.size(); ++i) spatial_only = spatial_only && reduced[i];
  if (spatial_only) {
    global_pool(imp, n, kind, keepdims);
    return;
  }
  std::vector<int64_t> perm;
  int64_t kept = 1, folded = 1;
  ir::Dims out;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!reduced[i]) {
      perm.push_back(static_cast<int64_t>(i));
      if (__builtin_mul_overflow(kept, x[i], &kept)) imp.fail(n, "input too large");
    }
    if (!reduced[i] || keepdims) out.push_back(reduced[i] ? 1 : x[i]);
  }
  for (size_t i = 0; i < x.size(); ++i)
    if (reduced[i]) {
      perm.push_back(static_cast<int64_t>(i));
      if (__builtin_mul_overflow(folded, x[i], &folded)) imp.fail(n, "input too large");
    }
  int t = imp.activation(n, 0);
  const std::string base = n.output(0);
  std::vector<int64_t> moving;  // the order of the axes that are not size 1
  for (int64_t p : perm)
    if (x[static_cast<size_t>(p)] != 1) moving.push_back(p);
  if (!std::is_sorted(moving.begin(), moving.end())) {
    check_gather_positions(imp, n, x);
    t = imp.emit(n, ir::transpose_gather(x, perm, n.op_type()), {t}, base + "/reduced_last");
  }
  const ir::Dims rows = {1, kept, folded};
  if (imp.graph().tensors[static_cast<size_t>(t)].dims != rows)
    t = imp.emit(n, ir::ReshapeAttrs{rows}, {t}, base + "/rows");
  t = imp.emit(n, ir::GlobalPoolAttrs{kind, false}, {t}, base + "/pooled");
  if (out.empty()) out = {1};
  if (out != ir::Dims{1, kept}) t = imp.emit(n, ir::ReshapeAttrs{out}, {t}, base);
  imp.define_activation(n.output(0), t);
}

void pad(Importer& imp, const Node& n) {
  std::string mode = imp.attr_string(n, "mode", "constant");
  if (mode == "edge" || mode == "reflect") {
    translate_pad_by_gather(imp, n, mode);
    return;
  }
  if (mode != "constant") imp.fail(n, "mode '" + mode + "' is not supported");
  if (imp.has_input(n, 3)) imp.fail(n, "the axes input is not supported in constant mode");
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

void softmax(Importer& imp, const Node& n, bool log) {
  const ir::Dims& x = imp.dims(n, 0);
  int xi = imp.activation(n, 0);
  bool legacy = imp.opset() < 13;
  auto axis = static_cast<size_t>(
      normalise_axis(imp, n, imp.attr_int(n, "axis", legacy ? 1 : -1), x.size()));
  int64_t tail = 1;
  for (size_t i = axis + 1; i < x.size(); ++i) tail *= x[i];
  if (!legacy || tail == 1) {
    emit_output(imp, n, ir::SoftmaxAttrs{static_cast<int64_t>(axis), log}, {xi});
    return;
  }
  // Before opset 13 the input is coerced to 2-D at axis: softmax runs over
  // all trailing dims together.
  ir::Dims flat = {1, 1};
  for (size_t i = 0; i < x.size(); ++i) flat[i < axis ? 0 : 1] *= x[i];
  ir::Dims orig = x;
  int f = imp.emit(n, ir::ReshapeAttrs{flat}, {xi}, n.output(0) + "/coerced");
  int s = imp.emit(n, ir::SoftmaxAttrs{1, log}, {f}, n.output(0) + "/softmax");
  imp.define_activation(n.output(0), imp.emit(n, ir::ReshapeAttrs{orig}, {s}, n.output(0)));
}

void matmul(Importer& imp, const Node& n) {
  if (!imp.is_constant(n, 1)) imp.fail(n, "only MatMul by a constant weight is supported");
  const ir::Dims x = imp.dims(n, 0);
  const HostTensor& w = float_constant(imp, n, 1, "weight");
  if (w.dims.size() != 2) imp.fail(n, "weight must be 2-D, got " + ir::dims_string(w.dims));
  if (x.size() < 2 || x[0] != 1) imp.fail(n, "input must be [1,...,K], got " + ir::dims_string(x));
  if (x.back() != w.dims[0])
    imp.fail(n,
             "weight " + ir::dims_string(w.dims) + " does not match input " + ir::dims_string(x));
  if (x.size() == 2) {
    dense(imp, n, false, 1.f, 0.f);
    return;
  }
  const int64_t k = w.dims[0], cols = w.dims[1], rows = ir::element_count(x) / k;
  ir::Dims out = x;
  out.back() = cols;
  int t = imp.activation(n, 0);
  const std::string base = n.output(0);
  if (rows == 1) {  // a Dense reads any shape flattened
    int wt = add_constant(imp, n.input(1) + "/dense", {cols, k}, out_by_in(w, false, 1.f));
    t = imp.emit(n, ir::DenseAttrs{}, {t, wt}, base + "/dense");
    imp.define_activation(n.output(0), imp.emit(n, ir::ReshapeAttrs{out}, {t}, base));
    return;
  }
  check_gather_positions(imp, n, {1, rows, k + cols});
  // Every row through the same weights is a 1x1 convolution over the rows:
  // rows to the length axis, convolve, and back.
  int wt = add_constant(imp, n.input(1) + "/conv", {cols, k, 1}, out_by_in(w, false, 1.f));
  t = imp.emit(n, ir::transpose_gather({1, rows, k}, {0, 2, 1}, "MatMul"), {t}, base + "/rows");
  t = imp.emit(n, ir::ConvAttrs{}, {t, wt}, base + "/conv");
  const size_t conv_op = imp.graph().ops.size() - 1;
  ir::AxisGatherAttrs back = ir::transpose_gather({1, cols, rows}, {0, 2, 1}, "MatMul");
  back.dims = out;
  imp.define_activation(n.output(0), imp.emit(n, back, {t}, base));
  imp.set_row_conv(n.output(0), conv_op);
}

// MatMul + Add of a [N] bias (a Linear on rows, as PyTorch exports it): the
// bias becomes the row conv's, instead of a [rows, N] constant for the Add.
bool bias_into_row_conv(Importer& imp, const Node& n) {
  if (n.input_size() != 2) return false;  // binary() reports the missing operand
  for (int side : {0, 1}) {
    const int conv = imp.row_conv(n.input(side));
    if (conv < 0 || !imp.is_constant(n, 1 - side) || imp.consumers(n.input(side)) != 1) continue;
    ir::Op& op = imp.graph().ops[static_cast<size_t>(conv)];
    const HostTensor& c = imp.constant(n, 1 - side);
    const int64_t cols = imp.graph().tensors[static_cast<size_t>(op.inputs[1])].dims[0];
    const size_t rank = imp.dims(n, side).size();
    if (op.inputs.size() != 2 || c.is_int || static_cast<int64_t>(c.values.size()) != cols ||
        c.dims.size() > rank || (!c.dims.empty() && c.dims.back() != cols))
      continue;
    std::vector<float> bias(c.values.begin(), c.values.end());
    op.inputs.push_back(add_constant(imp, n.input(1 - side) + "/bias", {cols}, std::move(bias)));
    imp.define_activation(n.output(0), imp.activation(n, side));
    return true;
  }
  return false;
}

void identity(Importer& i, const Node& n) {
  i.define_activation(n.output(0), i.activation(n, 0));
}

// The importer's op table: what each supported ONNX op becomes, and what of
// it is not supported, in words for docs/onnx-ops.md (generated from here by
// `yono import --list-ops`, and a test keeps the two equal).
struct OpTranslation {
  void (*translate)(Importer&, const Node&);
  int since;           // the first opset (of 11-17) that has the op
  int max_outputs;     // outputs a node may use
  const char* limits;  // one sentence; "" if none
};

#define YONO_LAMBDA(body) [](Importer& i, const Node& n) { body; }

const std::map<std::string, OpTranslation>& translators() {
  using U = ir::UnaryKind;
  using P = ir::PoolKind;
  static const std::map<std::string, OpTranslation> table = {
      {"Add",
       {binary, 11, 1,
        "Any numpy broadcast; shapes other than equal, scalar or per-channel are expanded first."}},
      {"AveragePool",
       {YONO_LAMBDA(pool(i, n, P::kAverage)), 11, 1,
        "1-D and 2-D; count_include_pad only with symmetric padding."}},
      {"BatchNormalization",
       {batch_norm, 11, 1,
        "Inference mode only; constant statistics; folded into the producing Conv/Gemm where "
        "possible."}},
      {"Clip", {clip, 11, 1, "min and max must be constants."}},
      {"Concat",
       {concat, 11, 1,
        "Any axis but the batch axis; every input computed (a Concat of constants only is "
        "folded)."}},
      {"Conv",
       {conv, 11, 1,
        "1-D and 2-D, any groups, strides, dilations and pads; constant weights and bias."}},
      {"Div",
       {binary, 11, 1,
        "Any numpy broadcast; division by a constant becomes a multiply by its reciprocal."}},
      {"Dropout", {identity, 11, 2, "Inference: the identity; the mask output must be unused."}},
      {"Expand", {translate_expand, 11, 1, "The shape must be a constant."}},
      {"Flatten", {YONO_LAMBDA(reshape_to(i, n, flatten_target(i, n, i.dims(n, 0)))), 11, 1, ""}},
      {"Gather", {translate_gather, 11, 1, "Constant indices (negative allowed), any axis."}},
      {"Gemm", {gemm, 11, 1, "Input [1,K]; constant B and C; transA=0."}},
      {"GlobalAveragePool", {YONO_LAMBDA(global_pool(i, n, P::kAverage, true)), 11, 1, ""}},
      {"GlobalMaxPool", {YONO_LAMBDA(global_pool(i, n, P::kMax, true)), 11, 1, ""}},
      {"HardSigmoid",
       {YONO_LAMBDA(unary(i, n, U::kHardSigmoid, i.attr_float(n, "alpha", 0.2f),
                          i.attr_float(n, "beta", 0.5f))),
        11, 1, ""}},
      {"HardSwish", {YONO_LAMBDA(unary(i, n, U::kHardSwish, 0.f, 0.f)), 14, 1, ""}},
      {"Identity", {identity, 11, 1, ""}},
      {"LeakyRelu",
       {YONO_LAMBDA(unary(i, n, U::kLeakyRelu, i.attr_float(n, "alpha", 0.01f), 0.f)), 11, 1, ""}},
      {"LogSoftmax",
       {YONO_LAMBDA(softmax(i, n, true)), 11, 1,
        "Any axis (before opset 13: over all axes from it on, as the spec says)."}},
      {"MatMul",
       {matmul, 11, 1,
        "The second operand must be a constant 2-D weight; an input of more than two dims runs as "
        "a 1x1 convolution over its rows."}},
      {"MaxPool",
       {YONO_LAMBDA(pool(i, n, P::kMax)), 11, 2,
        "1-D and 2-D, dilation 1; the Indices output must be unused; storage_order 0."}},
      {"Mul", {binary, 11, 1, "Any numpy broadcast, as Add."}},
      {"PRelu", {binary, 11, 1, "The slope broadcasts to the input (constant or computed)."}},
      {"Pad",
       {pad, 11, 1,
        "Modes constant (spatial axes only, non-negative pads), edge and reflect (any axes, "
        "negative pads crop); pads constant."}},
      {"ReduceMax", {YONO_LAMBDA(reduce(i, n, P::kMax, 18)), 11, 1, "Any axes, keepdims 0 or 1."}},
      {"ReduceMean",
       {YONO_LAMBDA(reduce(i, n, P::kAverage, 18)), 11, 1, "Any axes, keepdims 0 or 1."}},
      {"ReduceSum",
       {YONO_LAMBDA(reduce(i, n, P::kSum, 13)), 11, 1,
        "Any axes (an input from opset 13), keepdims 0 or 1."}},
      {"Relu", {YONO_LAMBDA(unary(i, n, U::kRelu, 0.f, 0.f)), 11, 1, ""}},
      {"Reshape",
       {YONO_LAMBDA(reshape_to(i, n, reshape_target(i, n, i.dims(n, 0)))), 11, 1,
        "The shape must be a constant (0 and -1 allowed)."}},
      {"Resize",
       {translate_resize, 11, 1,
        "mode nearest with constant scales or sizes; every coordinate_transformation_mode but "
        "tf_crop_and_resize, every nearest_mode."}},
      {"Sigmoid", {YONO_LAMBDA(unary(i, n, U::kSigmoid, 0.f, 0.f)), 11, 1, ""}},
      {"Slice",
       {translate_slice, 11, 1, "starts, ends, axes and steps constant; negative steps allowed."}},
      {"Softmax",
       {YONO_LAMBDA(softmax(i, n, false)), 11, 1,
        "Any axis (before opset 13: over all axes from it on, as the spec says)."}},
      {"Split",
       {translate_split, 11, 64,
        "Any axis; split sizes constant (attribute before opset 13, input from 13) or equal "
        "parts."}},
      {"Squeeze",
       {YONO_LAMBDA(reshape_to(i, n, squeeze_target(i, n, i.dims(n, 0)))), 11, 1,
        "Constant axes."}},
      {"Sub", {binary, 11, 1, "Any numpy broadcast, as Add."}},
      {"Tanh", {YONO_LAMBDA(unary(i, n, U::kTanh, 0.f, 0.f)), 11, 1, ""}},
      {"Transpose",
       {translate_transpose, 11, 1,
        "Folded into the graph input when it reads one (the pack then takes the permuted layout); "
        "otherwise a gather at run time."}},
      {"Unsqueeze",
       {YONO_LAMBDA(reshape_to(i, n, unsqueeze_target(i, n, i.dims(n, 0)))), 11, 1,
        "Constant axes."}},
  };
  return table;
}

#undef YONO_LAMBDA

}  // namespace

void translate_node(Importer& imp, const onnx::NodeProto& n) {
  bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
  auto it = translators().find(n.op_type());
  if (!default_domain || it == translators().end()) imp.fail(n, "unsupported op");
  if (imp.opset() < it->second.since)
    imp.fail(n, "the op does not exist before opset " + std::to_string(it->second.since));
  if (n.output_size() < 1 || n.output(0).empty()) imp.fail(n, "node has no output");
  // BatchNormalization's training outputs get their own message.
  if (n.op_type() != "BatchNormalization")
    for (int i = it->second.max_outputs; i < n.output_size(); ++i)
      if (!n.output(i).empty())
        imp.fail(n, "only " + std::to_string(it->second.max_outputs) + " output(s) supported");
  it->second.translate(imp, n);
}

bool is_supported_op(const onnx::NodeProto& n) {
  const bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
  return default_domain && translators().count(n.op_type()) != 0;
}

std::vector<SupportedOp> supported_ops() {
  std::vector<SupportedOp> out;
  for (const auto& [name, t] : translators()) out.push_back({name, t.since, t.limits});
  return out;
}

}  // namespace yono::onnx_import
