// State shared by the per-node translators: the IR being built, which ONNX
// value names are activations (IR tensors) and which are host constants.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "onnx_reader.h"
#include "yono/compiler/ir/ir.h"

namespace yono::onnx_import {

class Importer {
 public:
  Importer(std::string file, int opset, ir::Graph& graph, bool fold_input_transposes = true)
      : file_(std::move(file)),
        opset_(opset),
        g_(graph),
        fold_input_transposes_(fold_input_transposes) {}

  int opset() const { return opset_; }
  ir::Graph& graph() { return g_; }

  // How many nodes (and graph outputs) read each value name; set once the
  // graph is known, before any node is translated.
  void count_consumers(const onnx::GraphProto& graph);
  int consumers(const std::string& name) const;
  bool is_graph_input(int tensor) const;
  bool fold_input_transposes() const { return fold_input_transposes_; }

  // What the import did that a user should know (a fold that changes the
  // model's input layout, say): `yono import --explain` lists them.
  void note(std::string what) { notes_.push_back(std::move(what)); }
  const std::vector<std::string>& notes() const { return notes_; }

  // A MatMul on rows runs as a 1x1 conv (ops[op]); a constant bias Add that
  // follows it goes into that conv instead of being repeated per row.
  void set_row_conv(const std::string& matmul_output, size_t op) { row_convs_[matmul_output] = op; }
  int row_conv(const std::string& name) const {
    auto it = row_convs_.find(name);
    return it == row_convs_.end() ? -1 : static_cast<int>(it->second);
  }

  // "<file>: node '<name>' (<OpType>, opset <N>): <problem>"
  [[noreturn]] void fail(const onnx::NodeProto& n, const std::string& problem) const;
  std::string node_name(const onnx::NodeProto& n) const;

  // Attributes; a missing attribute yields the default.
  bool has_attr(const onnx::NodeProto& n, const char* name) const;
  int64_t attr_int(const onnx::NodeProto& n, const char* name, int64_t def) const;
  float attr_float(const onnx::NodeProto& n, const char* name, float def) const;
  std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const char* name,
                                 std::vector<int64_t> def = {}) const;
  std::string attr_string(const onnx::NodeProto& n, const char* name, std::string def) const;
  const onnx::TensorProto* attr_tensor(const onnx::NodeProto& n, const char* name) const;

  // Inputs: optional inputs may be absent or named "".
  bool has_input(const onnx::NodeProto& n, int i) const;
  bool is_constant(const onnx::NodeProto& n, int i) const;
  const HostTensor& constant(const onnx::NodeProto& n, int i) const;  // fails if not constant
  std::vector<int64_t> constant_ints(const onnx::NodeProto& n, int i) const;
  // By value: a reference into the graph would dangle once a tensor is added.
  ir::Dims dims(const onnx::NodeProto& n, int i) const;   // activation or constant
  int activation(const onnx::NodeProto& n, int i) const;  // fails on a constant
  int tensor(const onnx::NodeProto& n, int i);            // IR tensor, turning a constant into one

  void define_constant(const std::string& name, HostTensor t);
  void define_lazy_constant(const std::string& name, const onnx::TensorProto* t);
  void define_activation(const std::string& name, int tensor) { values_[name] = tensor; }
  bool is_known(const std::string& name) const;
  bool is_constant_name(const std::string& name) const;
  int activation_by_name(const std::string& name) const;  // -1 if not an activation

  // Appends an op reading `inputs` and writing a new tensor `out_name`, and
  // infers its shape (so later nodes can query dims()).
  int emit(const onnx::NodeProto& n, ir::Attrs attrs, std::vector<int> inputs,
           const std::string& out_name);
  std::string unique_name(const std::string& base) const;

 private:
  const HostTensor* find_constant(const std::string& name) const;

  std::string file_;
  int opset_;
  ir::Graph& g_;
  std::map<std::string, int> values_;                     // activations
  mutable std::map<std::string, HostTensor> constants_;   // decoded constants
  std::map<std::string, const onnx::TensorProto*> lazy_;  // initializers not yet decoded
  std::map<std::string, int> materialised_;               // constant name -> IR tensor
  bool fold_input_transposes_;
  std::map<std::string, int> consumers_;
  std::vector<std::string> notes_;
  std::map<std::string, size_t> row_convs_;
};

// Clamps so that int64 sentinels like INT64_MAX survive the trip via double.
int64_t to_int64(double v);

}  // namespace yono::onnx_import
