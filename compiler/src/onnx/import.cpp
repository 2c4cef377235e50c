// ONNX file -> validated IR: graph inputs, nodes in order (constant-folded
// or translated), graph outputs, then the IR passes.
#include "yono/compiler/onnx/import.h"

#include <algorithm>

#include "class_names_metadata.h"
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
    for (int k = 0; k < shape.dim_size(); ++k) {
      const auto& d = shape.dim(k);
      bool dynamic = !d.has_dim_value() || d.dim_value() <= 0;
      if (dynamic && k != 0)
        throw Error(where + ": dimension " + std::to_string(k) +
                    " is dynamic; only the batch dimension may be");
      if (d.dim_value() > onnx_import::kMaxDim)
        throw Error(where + ": dimension " + std::to_string(k) + " is over 2^31");
      t.dims.push_back(dynamic ? 1 : d.dim_value());  // batch is always 1
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

}  // namespace

ir::Graph import_onnx(const std::string& path, const std::string& model_name) {
  onnx::ModelProto model = onnx_import::load_model(path);
  int opset = onnx_import::default_opset(model, path);
  const onnx::GraphProto& graph = model.graph();

  ir::Graph g;
  g.name = model_name;
  g.class_names = onnx_import::read_class_names(model, path);
  Importer imp(path, opset, g);
  for (const auto& init : graph.initializer()) imp.define_lazy_constant(init.name(), &init);
  add_graph_inputs(imp, graph, path);
  for (const auto& node : graph.node()) {
    if (!onnx_import::try_fold_constant(imp, node)) onnx_import::translate_node(imp, node);
  }
  add_graph_outputs(imp, graph, path);

  ir::run_import_passes(g);
  try {
    ir::infer_shapes(g);
    ir::validate(g);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  return g;
}

}  // namespace yono
