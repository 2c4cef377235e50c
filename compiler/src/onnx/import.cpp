// ONNX file -> validated IR: graph inputs, nodes in order (constant-folded
// or translated), graph outputs, then the IR passes.
#include "yono/compiler/onnx/import.h"

#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <map>
#include <set>

#include "class_names_metadata.h"
#include "graph_checks.h"
#include "importer.h"
#include "node_translation.h"
#include "yono/compiler/error.h"
#include "yono/compiler/ir/passes.h"

namespace yono {
namespace {

using onnx_import::Importer;

void add_graph_inputs(Importer& imp, const onnx::GraphProto& graph, const std::string& path) {
  for (const auto& in : graph.input()) {
    if (imp.is_constant_name(in.name())) continue;  // an initializer listed as an input
    std::string where = path + ": graph input '" + in.name() + "'";
    if (!in.type().has_tensor_type() ||
        in.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
      throw Error(where + ": only float tensors are supported");
    if (!in.type().tensor_type().has_shape()) throw Error(where + ": shape is unknown");
    ir::Tensor t;
    t.name = in.name();
    const auto& shape = in.type().tensor_type().shape();
    // Checked as the dims are read, before anything is sized by them: a
    // pack addresses its arena with 32-bit offsets.
    constexpr int64_t kMaxElements = int64_t{1} << 30;  // 4 GiB of float32
    int64_t elements = 1;
    for (int k = 0; k < shape.dim_size(); ++k) {
      const auto& d = shape.dim(k);
      bool dynamic = !d.has_dim_value() || d.dim_value() <= 0;
      if (dynamic && k != 0)
        throw Error(where + ": dimension " + std::to_string(k) +
                    " is dynamic; only the batch dimension may be");
      const int64_t v = dynamic ? 1 : d.dim_value();
      if (v > kMaxElements / elements)
        throw Error(where + ": dimension " + std::to_string(k) + " (" + std::to_string(v) +
                    ") makes the input more than 2^30 values (4 GiB), more than a pack "
                    "addresses");
      elements *= v;
      t.dims.push_back(v);  // batch is always 1
    }
    if (t.dims.empty() || t.dims[0] != 1)
      throw Error(where + ": shape " + ir::dims_string(t.dims) + " must have batch 1");
    int idx = imp.graph().add_tensor(std::move(t));
    imp.graph().inputs.push_back(idx);
    imp.define_activation(in.name(), idx);
  }
  if (imp.graph().inputs.empty()) throw Error(path + ": model has no non-constant input");
}

void add_graph_outputs(Importer& imp, const onnx::GraphProto& graph, const std::string& path) {
  ir::Graph& g = imp.graph();
  for (const auto& out : graph.output()) {
    int idx = imp.activation_by_name(out.name());
    if (idx < 0) {
      if (imp.is_constant_name(out.name()))
        throw Error(path + ": graph output '" + out.name() + "' is a constant");
      throw Error(path + ": graph output '" + out.name() + "' is not produced by any node");
    }
    bool is_input = std::find(g.inputs.begin(), g.inputs.end(), idx) != g.inputs.end();
    if (is_input) throw Error(path + ": graph output '" + out.name() + "' is a graph input");
    // Identity/Dropout before an output alias it to an inner tensor; give
    // that tensor the output's name so users find it.
    ir::Tensor& t = g.tensors[static_cast<size_t>(idx)];
    if (t.name != out.name() && g.find_tensor(out.name()) < 0) t.name = out.name();
    g.outputs.push_back(idx);
  }
  if (g.outputs.empty()) throw Error(path + ": model has no outputs");
}

// Dims of every value ONNX's own shape inference can work out, so that an
// explanation can go on past a node it refuses.
std::map<std::string, ir::Dims> inferred_dims(onnx::ModelProto model) {
  std::map<std::string, ir::Dims> out;
  try {
    onnx::shape_inference::InferShapes(model);
  } catch (const std::exception&) {
    return out;  // then refusals stop the explanation of what depends on them
  }
  for (const auto& v : model.graph().value_info()) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) continue;
    ir::Dims d;
    bool known = true;
    for (const auto& dim : v.type().tensor_type().shape().dim()) {
      known = known && dim.has_dim_value() && dim.dim_value() > 0;
      d.push_back(known ? dim.dim_value() : 0);
    }
    if (known) out[v.name()] = d;
  }
  return out;
}

struct Translation {
  std::vector<std::string> refusals;  // each "node '...' (Op, opset N): why"
  std::vector<std::string> notes;
  std::map<std::string, int> folded;  // op type -> nodes evaluated at import
};

// Imports into g. With `explain`, a refused node is recorded and its outputs
// stand in as placeholder inputs (dims from ONNX shape inference) so every
// later node is still checked; without, the first refusal throws.
Translation translate_graph(const onnx::ModelProto& model, const std::string& path, ir::Graph& g,
                            const OnnxImportOptions& options, bool explain) {
  int opset = onnx_import::default_opset(model, path);
  const onnx::GraphProto& graph = model.graph();
  onnx_import::check_graph_names(graph, path);
  if (!options.allow_nonfinite) onnx_import::check_finite_weights(graph, path);
  g.class_names = onnx_import::read_class_names(model, path);
  Importer imp(path, opset, g, options.fold_input_transposes);
  imp.count_consumers(graph);
  for (const auto& init : graph.initializer()) imp.define_lazy_constant(init.name(), &init);
  add_graph_inputs(imp, graph, path);
  Translation t;
  std::map<std::string, ir::Dims> dims;
  if (explain) dims = inferred_dims(model);
  std::set<std::string> unknown;  // outputs of refused nodes of unknown shape
  for (const auto& node : graph.node()) {
    bool after_refusal = false;
    for (const auto& in : node.input()) after_refusal = after_refusal || unknown.count(in);
    try {
      if (after_refusal) {
        // Only the op itself can be judged without its input's shape.
        if (!onnx_import::is_supported_op(node)) onnx_import::translate_node(imp, node);
        throw Error("");
      }
      if (onnx_import::try_fold_constant(imp, node)) {
        ++t.folded[node.op_type()];
      } else {
        onnx_import::translate_node(imp, node);
      }
    } catch (const Error& e) {
      if (!explain) throw;
      const std::string what = e.what();
      if (!what.empty()) t.refusals.push_back(what.substr(std::min(what.size(), path.size() + 2)));
      for (const auto& out : node.output()) {
        if (out.empty()) continue;
        auto d = dims.find(out);
        if (d == dims.end()) {
          unknown.insert(out);
          continue;
        }
        ir::Tensor stand_in;
        stand_in.name = imp.unique_name(out);
        stand_in.dims = d->second;
        imp.define_activation(out, g.add_tensor(std::move(stand_in)));
      }
    }
  }
  t.notes = imp.notes();
  if (!t.refusals.empty()) return t;
  add_graph_outputs(imp, graph, path);
  if (!options.allow_nonfinite) onnx_import::check_finite_constants(g, path);
  try {  // every later complaint is about this file
    ir::run_import_passes(g);
    ir::infer_shapes(g);
    ir::validate(g);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  return t;
}

}  // namespace

ir::Graph import_onnx(const std::string& path, const std::string& model_name,
                      const OnnxImportOptions& options) {
  onnx::ModelProto model = onnx_import::load_model(path);
  ir::Graph g;
  g.name = model_name;
  translate_graph(model, path, g, options, false);
  return g;
}

ImportExplanation explain_onnx_import(const std::string& path, const OnnxImportOptions& options) {
  onnx::ModelProto model = onnx_import::load_model(path);
  ImportExplanation out;
  ir::Graph g;
  g.name = "explain";
  try {
    Translation t = translate_graph(model, path, g, options, true);
    out.refusals = std::move(t.refusals);
    out.notes = std::move(t.notes);
    for (const auto& [op, count] : t.folded)
      out.notes.push_back(std::to_string(count) + " " + op + " node" + (count == 1 ? "" : "s") +
                          " evaluated at import (constant inputs)");
  } catch (const Error& e) {
    // A whole-graph problem (names, outputs, passes): one refusal, as is.
    const std::string what = e.what();
    out.refusals.push_back(what.substr(std::min(what.size(), path.size() + 2)));
  }
  if (out.refusals.empty()) {
    const size_t nodes = static_cast<size_t>(model.graph().node_size());
    out.ops = g.ops.size();
    out.nodes = nodes;
  }
  return out;
}

}  // namespace yono
