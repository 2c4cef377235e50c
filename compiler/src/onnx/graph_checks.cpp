#include "graph_checks.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "onnx_reader.h"
#include "yono/compiler/error.h"

namespace yono::onnx_import {
namespace {

std::string describe(const onnx::NodeProto& n) {
  const std::string name = !n.name().empty()     ? n.name()
                           : n.output_size() > 0 ? n.output(0)
                                                 : n.op_type();
  return "node '" + name + "' (" + n.op_type() + ")";
}

}  // namespace

void check_graph_names(const onnx::GraphProto& graph, const std::string& path) {
  // name -> what defines it, for the message about a second definition.
  std::map<std::string, std::string> defined;
  for (const auto& init : graph.initializer()) {
    if (!defined.emplace(init.name(), "an initializer").second)
      throw Error(path + ": initializer '" + init.name() + "' is defined twice");
  }
  std::set<std::string> inputs;
  for (const auto& in : graph.input()) {
    if (!inputs.insert(in.name()).second)
      throw Error(path + ": graph input '" + in.name() + "' is listed twice");
    defined.emplace(in.name(), "the graph input");  // an initializer listed as input stays one
  }
  for (const auto& node : graph.node()) {
    for (const std::string& out : node.output()) {
      if (out.empty()) continue;  // an optional output left out
      const auto [it, fresh] = defined.emplace(out, describe(node));
      if (!fresh)
        throw Error(path + ": " + describe(node) + " writes '" + out + "', already written by " +
                    it->second + "; every tensor needs one producer");
    }
  }
  std::set<std::string> outputs;
  for (const auto& out : graph.output()) {
    if (!outputs.insert(out.name()).second)
      throw Error(path + ": graph output '" + out.name() + "' is listed twice");
  }
}

namespace {

// "holds 1 non-finite value of 32 (first: inf at index 14)"
template <typename Values>
std::string first_non_finite(const Values& values) {
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isfinite(values[i])) continue;
    if (bad++ == 0) first = i;
  }
  if (bad == 0) return "";
  char value[32];
  std::snprintf(value, sizeof value, "%g", static_cast<double>(values[first]));
  return "holds " + std::to_string(bad) + " non-finite " + (bad == 1 ? "value" : "values") +
         " of " + std::to_string(values.size()) + " (first: " + value + " at index " +
         std::to_string(first) + "); refusing them (--allow-nonfinite imports them anyway)";
}

void check_finite(const onnx::TensorProto& t, const std::string& path, const std::string& what) {
  if (t.data_type() != onnx::TensorProto::FLOAT) return;  // ints are finite; others refused later
  const std::string where = path + ": " + what + " '" + t.name() + "'";
  const std::string bad = first_non_finite(decode_tensor(t, where).values);
  if (!bad.empty()) throw Error(where + " " + bad);
}

}  // namespace

void check_finite_weights(const onnx::GraphProto& graph, const std::string& path) {
  for (const auto& init : graph.initializer()) check_finite(init, path, "initializer");
  for (const auto& node : graph.node()) {
    if (node.op_type() != "Constant") continue;
    for (const auto& a : node.attribute())
      if (a.type() == onnx::AttributeProto::TENSOR)
        check_finite(a.t(), path, describe(node) + " value");
  }
}

void check_finite_constants(const ir::Graph& g, const std::string& path) {
  for (const ir::Tensor& t : g.tensors) {
    if (!t.is_constant) continue;
    const std::string bad = first_non_finite(t.data);
    if (!bad.empty()) throw Error(path + ": constant '" + t.name + "' (computed at import) " + bad);
  }
}

}  // namespace yono::onnx_import
