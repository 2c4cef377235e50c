// One ONNX node (or two, when an activation is fused) per IR op. Constants
// become initializers under their IR names, so an exported and re-imported
// model keeps recognisable weight names.
#include "yono/compiler/onnx/export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <set>
#include <type_traits>
#include <vector>

#include "class_names_metadata.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/ir/axis_gather.h"

namespace yono {
namespace {

constexpr int64_t kOpset = 13;

class Exporter {
 public:
  Exporter(const ir::Graph& g, onnx::GraphProto& out) : g_(g), out_(out) {}

  void run() {
    out_.set_name(g_.name.empty() ? "yono" : g_.name);
    for (const ir::Tensor& t : g_.tensors) names_.push_back(unique(t.name.empty() ? "t" : t.name));
    for (size_t i = 0; i < g_.tensors.size(); ++i) {
      const ir::Tensor& t = g_.tensors[i];
      if (t.is_constant) add_float_initializer(names_[i], t.dims, t.data);
    }
    for (int i : g_.inputs) describe(*out_.add_input(), i);
    for (const ir::Op& op : g_.ops) std::visit([&](const auto& a) { translate(op, a); }, op.attrs);
    for (int i : g_.outputs) describe(*out_.add_output(), i);
  }

 private:
  std::string unique(const std::string& base) {
    std::string name = base;
    for (int k = 1; !used_.insert(name).second; ++k) name = base + "_" + std::to_string(k);
    return name;
  }

  const std::string& name(int t) const { return names_[static_cast<size_t>(t)]; }
  const ir::Dims& dims(int t) const { return g_.tensors[static_cast<size_t>(t)].dims; }

  [[noreturn]] void fail(const ir::Op& op, const std::string& problem) const {
    throw Error("ONNX export of '" + g_.name + "': " + ir::op_type_name(op) + " op '" + op.name +
                "': " + problem);
  }

  void describe(onnx::ValueInfoProto& v, int t) const {
    v.set_name(name(t));
    auto* type = v.mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims(t)) type->mutable_shape()->add_dim()->set_dim_value(d);
  }

  void add_float_initializer(const std::string& n, const ir::Dims& d,
                             const std::vector<float>& values) {
    onnx::TensorProto* t = out_.add_initializer();
    t->set_name(n);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t x : d) t->add_dims(x);
    for (float v : values) t->add_float_data(v);
  }

  std::string scalar(const std::string& base, float v) {
    std::string n = unique(base);
    add_float_initializer(n, {}, {v});
    return n;
  }

  std::string int64s(const std::string& base, const std::vector<int64_t>& values) {
    std::string n = unique(base);
    onnx::TensorProto* t = out_.add_initializer();
    t->set_name(n);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
    return n;
  }

  onnx::NodeProto& node(const std::string& type, const std::string& node_name,
                        const std::vector<std::string>& inputs, const std::string& output) {
    onnx::NodeProto* n = out_.add_node();
    n->set_op_type(type);
    n->set_name(unique(node_name));
    for (const std::string& in : inputs) n->add_input(in);
    n->add_output(output);
    return *n;
  }

  static void set_int(onnx::NodeProto& n, const char* key, int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(key);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void set_float(onnx::NodeProto& n, const char* key, float v) {
    auto* a = n.add_attribute();
    a->set_name(key);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void set_ints(onnx::NodeProto& n, const char* key, const std::vector<int64_t>& v) {
    auto* a = n.add_attribute();
    a->set_name(key);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }

  // The op's own output name, or a temporary one when a fused activation
  // node has to follow and produce the real output.
  std::string body_output(const ir::Op& op, const ir::Activation& act) {
    return act.is_identity() ? name(op.outputs[0]) : unique(name(op.outputs[0]) + "/pre_act");
  }

  void clamp(const std::string& node_name, const std::string& in, const std::string& out, float lo,
             float hi) {
    if (lo == 0.f && hi == ir::kNoMax) {
      node("Relu", node_name, {in}, out);
      return;
    }
    std::string min = lo == ir::kNoMin ? "" : scalar(node_name + "/min", lo);
    std::string max = hi == ir::kNoMax ? "" : scalar(node_name + "/max", hi);
    node("Clip", node_name, {in, min, max}, out);
  }

  void finish_activation(const ir::Op& op, const ir::Activation& act, const std::string& body) {
    if (!act.is_identity()) clamp(op.name + "/act", body, name(op.outputs[0]), act.min, act.max);
  }

  std::vector<std::string> input_names(const ir::Op& op) const {
    std::vector<std::string> v;
    for (int i : op.inputs) v.push_back(name(i));
    return v;
  }

  // ONNX pads are all begins then all ends over the spatial axes.
  static std::vector<int64_t> spatial(bool is_2d, int64_t h, int64_t w) {
    return is_2d ? std::vector<int64_t>{h, w} : std::vector<int64_t>{w};
  }
  static std::vector<int64_t> pads(bool is_2d, int64_t top, int64_t left, int64_t bottom,
                                   int64_t right) {
    return is_2d ? std::vector<int64_t>{top, left, bottom, right}
                 : std::vector<int64_t>{left, right};
  }
  bool is_2d(const ir::Op& op) const { return dims(op.inputs[0]).size() == 4; }

  void translate(const ir::Op& op, const ir::ConvAttrs& a) {
    const bool d2 = is_2d(op);
    std::string out = body_output(op, a.act);
    auto& n = node("Conv", op.name, input_names(op), out);
    set_ints(n, "kernel_shape", spatial(d2, a.kh, a.kw));
    set_ints(n, "strides", spatial(d2, a.stride_h, a.stride_w));
    set_ints(n, "dilations", spatial(d2, a.dilation_h, a.dilation_w));
    set_ints(n, "pads", pads(d2, a.pad_top, a.pad_left, a.pad_bottom, a.pad_right));
    set_int(n, "group", a.groups);
    finish_activation(op, a.act, out);
  }

  void translate(const ir::Op& op, const ir::DenseAttrs& a) {
    std::vector<std::string> in = input_names(op);
    if (dims(op.inputs[0]).size() != 2) {
      std::string flat = unique(in[0] + "/flat");
      set_int(node("Flatten", op.name + "/flatten", {in[0]}, flat), "axis", 1);
      in[0] = flat;
    }
    std::string out = body_output(op, a.act);
    set_int(node("Gemm", op.name, in, out), "transB", 1);
    finish_activation(op, a.act, out);
  }

  void translate(const ir::Op& op, const ir::PoolAttrs& a) {
    const bool d2 = is_2d(op);
    const bool max = a.kind == ir::PoolKind::kMax;
    auto& n = node(max ? "MaxPool" : "AveragePool", op.name, input_names(op), name(op.outputs[0]));
    set_ints(n, "kernel_shape", spatial(d2, a.kh, a.kw));
    set_ints(n, "strides", spatial(d2, a.stride_h, a.stride_w));
    set_ints(n, "pads", pads(d2, a.pad_top, a.pad_left, a.pad_bottom, a.pad_right));
    set_int(n, "ceil_mode", a.ceil_mode ? 1 : 0);
    if (!max) set_int(n, "count_include_pad", a.count_include_pad ? 1 : 0);
  }

  void translate(const ir::Op& op, const ir::GlobalPoolAttrs& a) {
    if (a.kind == ir::PoolKind::kSum) {
      std::vector<int64_t> axes;
      for (size_t k = 2; k < dims(op.inputs[0]).size(); ++k)
        axes.push_back(static_cast<int64_t>(k));
      std::string summed =
          a.keepdims ? name(op.outputs[0]) : unique(name(op.outputs[0]) + "/keepdims");
      node("ReduceSum", op.name, {name(op.inputs[0]), int64s(op.name + "/axes", axes)}, summed);
      if (!a.keepdims)
        set_int(node("Flatten", op.name + "/flatten", {summed}, name(op.outputs[0])), "axis", 1);
      return;
    }
    const char* type = a.kind == ir::PoolKind::kMax ? "GlobalMaxPool" : "GlobalAveragePool";
    if (a.keepdims) {
      node(type, op.name, input_names(op), name(op.outputs[0]));
      return;
    }
    std::string pooled = unique(name(op.outputs[0]) + "/keepdims");
    node(type, op.name, input_names(op), pooled);
    set_int(node("Flatten", op.name + "/flatten", {pooled}, name(op.outputs[0])), "axis", 1);
  }

  void translate(const ir::Op& op, const ir::UnaryAttrs& a) {
    const std::string& in = name(op.inputs[0]);
    const std::string& out = name(op.outputs[0]);
    switch (a.kind) {
      case ir::UnaryKind::kRelu: node("Relu", op.name, {in}, out); return;
      case ir::UnaryKind::kLeakyRelu:
        set_float(node("LeakyRelu", op.name, {in}, out), "alpha", a.alpha);
        return;
      case ir::UnaryKind::kClip: clamp(op.name, in, out, a.alpha, a.beta); return;
      case ir::UnaryKind::kSigmoid: node("Sigmoid", op.name, {in}, out); return;
      case ir::UnaryKind::kTanh: node("Tanh", op.name, {in}, out); return;
      case ir::UnaryKind::kHardSigmoid: {
        auto& n = node("HardSigmoid", op.name, {in}, out);
        set_float(n, "alpha", a.alpha);
        set_float(n, "beta", a.beta);
        return;
      }
      case ir::UnaryKind::kHardSwish: {
        // HardSwish only exists from opset 14: x * HardSigmoid(x, 1/6, 1/2).
        std::string gate = unique(out + "/gate");
        auto& n = node("HardSigmoid", op.name + "/gate", {in}, gate);
        set_float(n, "alpha", 1.0f / 6.0f);
        set_float(n, "beta", 0.5f);
        node("Mul", op.name, {in, gate}, out);
        return;
      }
    }
    fail(op, "unknown unary kind");
  }

  void translate(const ir::Op& op, const ir::BinaryAttrs& a) {
    const char* type = a.kind == ir::BinaryKind::kAdd   ? "Add"
                       : a.kind == ir::BinaryKind::kSub ? "Sub"
                       : a.kind == ir::BinaryKind::kMul ? "Mul"
                       : a.kind == ir::BinaryKind::kDiv ? "Div"
                                                        : "PRelu";
    std::string out = body_output(op, a.act);
    node(type, op.name, input_names(op), out);
    finish_activation(op, a.act, out);
  }

  // Eval-mode BatchNormalization with mean 0, var 1, epsilon 0 is exactly
  // scale * x + shift, and our importer folds it into a preceding Conv.
  void translate(const ir::Op& op, const ir::ChannelAffineAttrs& a) {
    const int64_t c = dims(op.inputs[0]).at(1);
    auto param = [&](int t) {
      if (dims(t) == ir::Dims{c}) return name(t);
      std::string n = unique(name(t) + "/1d");
      add_float_initializer(n, {c}, g_.tensors[static_cast<size_t>(t)].data);
      return n;
    };
    std::string mean = unique(op.name + "/mean"), var = unique(op.name + "/var");
    add_float_initializer(mean, {c}, std::vector<float>(static_cast<size_t>(c), 0.f));
    add_float_initializer(var, {c}, std::vector<float>(static_cast<size_t>(c), 1.f));
    std::string out = body_output(op, a.act);
    auto& n = node("BatchNormalization", op.name,
                   {name(op.inputs[0]), param(op.inputs[1]), param(op.inputs[2]), mean, var}, out);
    set_float(n, "epsilon", 0.f);
    finish_activation(op, a.act, out);
  }

  void translate(const ir::Op& op, const ir::ConcatAttrs& a) {
    set_int(node("Concat", op.name, input_names(op), name(op.outputs[0])), "axis", a.axis);
  }

  void translate(const ir::Op& op, const ir::SoftmaxAttrs& a) {
    set_int(node(a.log ? "LogSoftmax" : "Softmax", op.name, input_names(op), name(op.outputs[0])),
            "axis", a.axis);
  }

  void translate(const ir::Op& op, const ir::PadAttrs& a) {
    std::vector<int64_t> p = is_2d(op) ? std::vector<int64_t>{0, 0, a.pad_top,    a.pad_left,
                                                              0, 0, a.pad_bottom, a.pad_right}
                                       : std::vector<int64_t>{0, 0, a.pad_left, 0, 0, a.pad_right};
    auto& n = node(
        "Pad", op.name,
        {name(op.inputs[0]), int64s(op.name + "/pads", p), scalar(op.name + "/value", a.value)},
        name(op.outputs[0]));
    auto* mode = n.add_attribute();
    mode->set_name("mode");
    mode->set_type(onnx::AttributeProto::STRING);
    mode->set_s("constant");
  }

  void translate(const ir::Op& op, const ir::ReshapeAttrs& a) {
    node("Reshape", op.name, {name(op.inputs[0]), int64s(op.name + "/shape", a.dims)},
         name(op.outputs[0]));
  }

  void translate(const ir::Op& op, const ir::ConvertAttrs&) {
    throw Error("op '" + op.name + "': int8 activations have no ONNX export (export the f32 pack)");
  }

  // Any gather is exactly a flat Gather of its element indices.
  void translate(const ir::Op& op, const ir::AxisGatherAttrs& a) {
    const std::string flat = unique(name(op.inputs[0]) + "/flat");
    node("Reshape", op.name + "/flatten",
         {name(op.inputs[0]), int64s(op.name + "/flat_shape", {-1})}, flat);
    const std::string picked = unique(name(op.outputs[0]) + "/picked");
    node("Gather", op.name, {flat, int64s(op.name + "/indices", ir::flat_indices(a))}, picked);
    node("Reshape", op.name + "/shape", {picked, int64s(op.name + "/shape", a.dims)},
         name(op.outputs[0]));
  }

  const ir::Graph& g_;
  onnx::GraphProto& out_;
  std::vector<std::string> names_;
  std::set<std::string> used_;
};

}  // namespace

std::string export_onnx(const ir::Graph& g) {
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("yono");
  model.set_producer_version("0.1.0");
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  Exporter(g, *model.mutable_graph()).run();
  onnx_import::write_class_names(g.class_names, model);
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw Error("ONNX export of '" + g.name + "' is rejected by the ONNX checker: " + e.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    throw Error("ONNX export of '" + g.name + "': serialising failed");
  return bytes;
}

void write_onnx(const ir::Graph& g, const std::string& path) {
  const std::string bytes = export_onnx(g);
  write_file_atomic(path, std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

}  // namespace yono
