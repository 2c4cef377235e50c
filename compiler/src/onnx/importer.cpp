#include "importer.h"

#include "yono/compiler/error.h"
#include "yono/compiler/ir/op_shape.h"

namespace yono::onnx_import {

int64_t to_int64(double v) {
  constexpr double kLimit = 4611686018427387904.0;  // 2^62: far beyond any real dim
  if (v > kLimit) return static_cast<int64_t>(kLimit);
  if (v < -kLimit) return -static_cast<int64_t>(kLimit);
  return static_cast<int64_t>(v);
}

void Importer::count_consumers(const onnx::GraphProto& graph) {
  for (const auto& node : graph.node())
    for (const auto& in : node.input())
      if (!in.empty()) ++consumers_[in];
  for (const auto& out : graph.output()) ++consumers_[out.name()];
}

int Importer::consumers(const std::string& name) const {
  auto it = consumers_.find(name);
  return it == consumers_.end() ? 0 : it->second;
}

bool Importer::is_graph_input(int tensor) const {
  for (int i : g_.inputs)
    if (i == tensor) return true;
  return false;
}

std::string Importer::node_name(const onnx::NodeProto& n) const {
  if (!n.name().empty()) return n.name();
  if (n.output_size() > 0) return n.output(0);
  return n.op_type();
}

void Importer::fail(const onnx::NodeProto& n, const std::string& problem) const {
  throw Error(file_ + ": node '" + node_name(n) + "' (" + n.op_type() + ", opset " +
              std::to_string(opset_) + "): " + problem);
}

namespace {
const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const char* name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}
}  // namespace

bool Importer::has_attr(const onnx::NodeProto& n, const char* name) const {
  return find_attr(n, name) != nullptr;
}

int64_t Importer::attr_int(const onnx::NodeProto& n, const char* name, int64_t def) const {
  const auto* a = find_attr(n, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::INT)
    fail(n, std::string("attribute ") + name + " is not an int");
  return a->i();
}

float Importer::attr_float(const onnx::NodeProto& n, const char* name, float def) const {
  const auto* a = find_attr(n, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::FLOAT)
    fail(n, std::string("attribute ") + name + " is not a float");
  return a->f();
}

std::vector<int64_t> Importer::attr_ints(const onnx::NodeProto& n, const char* name,
                                         std::vector<int64_t> def) const {
  const auto* a = find_attr(n, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::INTS)
    fail(n, std::string("attribute ") + name + " is not a list of ints");
  return {a->ints().begin(), a->ints().end()};
}

std::string Importer::attr_string(const onnx::NodeProto& n, const char* name,
                                  std::string def) const {
  const auto* a = find_attr(n, name);
  if (!a) return def;
  if (a->type() != onnx::AttributeProto::STRING)
    fail(n, std::string("attribute ") + name + " is not a string");
  return a->s();
}

const onnx::TensorProto* Importer::attr_tensor(const onnx::NodeProto& n, const char* name) const {
  const auto* a = find_attr(n, name);
  if (!a) return nullptr;
  if (a->type() != onnx::AttributeProto::TENSOR)
    fail(n, std::string("attribute ") + name + " is not a tensor");
  return &a->t();
}

bool Importer::has_input(const onnx::NodeProto& n, int i) const {
  return i < n.input_size() && !n.input(i).empty();
}

const HostTensor* Importer::find_constant(const std::string& name) const {
  auto it = constants_.find(name);
  if (it != constants_.end()) return &it->second;
  auto lz = lazy_.find(name);
  if (lz == lazy_.end()) return nullptr;
  HostTensor t = decode_tensor(*lz->second, file_ + ": initializer '" + name + "'");
  return &constants_.emplace(name, std::move(t)).first->second;
}

bool Importer::is_constant_name(const std::string& name) const {
  return constants_.count(name) || lazy_.count(name);
}

bool Importer::is_known(const std::string& name) const {
  return is_constant_name(name) || values_.count(name);
}

int Importer::activation_by_name(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? -1 : it->second;
}

bool Importer::is_constant(const onnx::NodeProto& n, int i) const {
  return has_input(n, i) && is_constant_name(n.input(i));
}

const HostTensor& Importer::constant(const onnx::NodeProto& n, int i) const {
  if (!has_input(n, i)) fail(n, "missing input " + std::to_string(i));
  const HostTensor* t = find_constant(n.input(i));
  if (!t) fail(n, "input '" + n.input(i) + "' must be a constant (initializer or Constant)");
  return *t;
}

std::vector<int64_t> Importer::constant_ints(const onnx::NodeProto& n, int i) const {
  const HostTensor& t = constant(n, i);
  if (!t.is_int) fail(n, "input '" + n.input(i) + "' must be an int64 constant");
  std::vector<int64_t> out;
  for (double v : t.values) out.push_back(to_int64(v));
  return out;
}

ir::Dims Importer::dims(const onnx::NodeProto& n, int i) const {
  if (!has_input(n, i)) fail(n, "missing input " + std::to_string(i));
  if (const HostTensor* t = find_constant(n.input(i))) return t->dims;
  return g_.tensors[static_cast<size_t>(activation(n, i))].dims;
}

int Importer::activation(const onnx::NodeProto& n, int i) const {
  if (!has_input(n, i)) fail(n, "missing input " + std::to_string(i));
  auto it = values_.find(n.input(i));
  if (it != values_.end()) return it->second;
  if (is_constant_name(n.input(i)))
    fail(n, "input '" + n.input(i) + "' is a constant where a computed tensor is expected");
  fail(n, "input '" + n.input(i) + "' is not produced by any earlier node or graph input");
}

int Importer::tensor(const onnx::NodeProto& n, int i) {
  if (!has_input(n, i)) fail(n, "missing input " + std::to_string(i));
  const std::string& name = n.input(i);
  auto m = materialised_.find(name);
  if (m != materialised_.end()) return m->second;
  const HostTensor* h = find_constant(name);
  if (!h) return activation(n, i);
  if (h->is_int) fail(n, "input '" + name + "' is an int64 tensor; only float data is computed");
  ir::Tensor t;
  t.name = unique_name(name);
  t.dims = h->dims;
  t.is_constant = true;
  t.data.assign(h->values.begin(), h->values.end());
  int idx = g_.add_tensor(std::move(t));
  materialised_[name] = idx;
  return idx;
}

void Importer::define_constant(const std::string& name, HostTensor t) {
  constants_[name] = std::move(t);
}

void Importer::define_lazy_constant(const std::string& name, const onnx::TensorProto* t) {
  lazy_[name] = t;
}

std::string Importer::unique_name(const std::string& base) const {
  std::string name = base.empty() ? "t" : base;
  for (int k = 1; g_.find_tensor(name) >= 0; ++k) name = base + "_" + std::to_string(k);
  return name;
}

int Importer::emit(const onnx::NodeProto& n, ir::Attrs attrs, std::vector<int> inputs,
                   const std::string& out_name) {
  ir::Tensor out;
  out.name = unique_name(out_name);
  int out_idx = g_.add_tensor(std::move(out));
  ir::Op op;
  op.name = node_name(n);
  op.attrs = std::move(attrs);
  op.inputs = std::move(inputs);
  op.outputs = {out_idx};
  try {
    g_.tensors[static_cast<size_t>(out_idx)].dims = ir::infer_op_shape(g_, op);
  } catch (const Error& e) {
    fail(n, e.what());
  }
  g_.ops.push_back(std::move(op));
  return out_idx;
}

}  // namespace yono::onnx_import
