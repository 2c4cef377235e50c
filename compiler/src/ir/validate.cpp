// Structural checks the pack writer and runtime rely on: they index tensors
// without further checks, and the runtime runs ops strictly in order.
#include <algorithm>
#include <set>
#include <type_traits>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/ir.h"

namespace yono::ir {
namespace {

// Which inputs of an op kind must be constant (true), activation (false);
// Binary accepts either on one side.
enum class Slot { kActivation, kConstant, kEither };

// An int8 op (its output quantized) takes one more constant than its f32
// version: Conv/Dense a requantization table, Unary a table, Add its
// requantization.
std::vector<Slot> input_slots(const Graph& g, const Op& op) {
  using S = Slot;
  const bool int8 = !op.outputs.empty() && op.outputs[0] >= 0 &&
                    op.outputs[0] < static_cast<int>(g.tensors.size()) &&
                    g.tensors[op.outputs[0]].quant.has_value();
  return std::visit(
      [&](const auto& a) -> std::vector<Slot> {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ConvAttrs> || std::is_same_v<T, DenseAttrs>) {
          if (int8) return {S::kActivation, S::kConstant, S::kConstant, S::kConstant};
          if (op.inputs.size() == 2) return {S::kActivation, S::kConstant};
          return {S::kActivation, S::kConstant, S::kConstant};
        }
        if constexpr (std::is_same_v<T, UnaryAttrs>) {
          if (int8) return {S::kActivation, S::kConstant};
        }
        if constexpr (std::is_same_v<T, BinaryAttrs>) {
          if (int8) return {S::kActivation, S::kActivation, S::kConstant};
        }
        if constexpr (std::is_same_v<T, ChannelAffineAttrs>)
          return {S::kActivation, S::kConstant, S::kConstant};
        if constexpr (std::is_same_v<T, BinaryAttrs>) return {S::kEither, S::kEither};
        if constexpr (std::is_same_v<T, ConcatAttrs>)
          return std::vector<Slot>(std::max<size_t>(op.inputs.size(), 1), S::kActivation);
        return {S::kActivation};
      },
      op.attrs);
}

}  // namespace

void validate(const Graph& g) {
  auto fail = [&](const std::string& problem) {
    throw Error("model '" + g.name + "': " + problem);
  };
  auto n_tensors = static_cast<int>(g.tensors.size());
  std::set<std::string> names;
  for (const Tensor& t : g.tensors) {
    if (t.name.empty()) fail("tensor without a name");
    if (!names.insert(t.name).second) fail("duplicate tensor name '" + t.name + "'");
    for (int64_t d : t.dims)
      if (d < 1) fail("tensor '" + t.name + "' has shape " + dims_string(t.dims));
    // element_count refuses a product past int64, so the writer's products
    // of some of these dims cannot overflow either.
    const int64_t count = element_count(t.dims);
    const size_t held = t.int_dtype != IntDType::kNone ? t.ints.size() : t.data.size();
    if (t.is_constant && static_cast<int64_t>(held) != count)
      fail("constant '" + t.name + "' data does not match its shape");
  }
  if (g.inputs.empty()) fail("graph has no inputs");
  if (g.outputs.empty()) fail("graph has no outputs");

  std::vector<bool> ready(g.tensors.size(), false);
  for (const Tensor& t : g.tensors) ready[&t - g.tensors.data()] = t.is_constant;
  for (int i : g.inputs) {
    if (i < 0 || i >= n_tensors) fail("graph input index out of range");
    if (g.tensors[i].is_constant) fail("graph input '" + g.tensors[i].name + "' is a constant");
    if (ready[i]) fail("graph input '" + g.tensors[i].name + "' listed twice");
    ready[i] = true;
  }
  for (const Op& op : g.ops) {
    std::string where = std::string(op_type_name(op)) + " op '" + op.name + "': ";
    std::vector<Slot> slots = input_slots(g, op);
    if (op.inputs.size() != slots.size()) fail(where + "wrong number of inputs");
    int constants = 0;
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      int i = op.inputs[k];
      if (i < 0 || i >= n_tensors) fail(where + "input index out of range");
      const Tensor& t = g.tensors[i];
      if (!ready[i]) fail(where + "input '" + t.name + "' is used before it is produced");
      constants += t.is_constant;
      if (slots[k] == Slot::kConstant && !t.is_constant)
        fail(where + "input '" + t.name + "' must be a constant");
      if (slots[k] == Slot::kActivation && t.is_constant)
        fail(where + "input '" + t.name + "' must not be a constant");
    }
    if (std::holds_alternative<BinaryAttrs>(op.attrs) && constants == 2)
      fail(where + "both inputs are constants");
    if (op.outputs.size() != 1) fail(where + "must have exactly one output");
    int o = op.outputs[0];
    if (o < 0 || o >= n_tensors) fail(where + "output index out of range");
    if (g.tensors[o].is_constant) fail(where + "writes constant '" + g.tensors[o].name + "'");
    if (ready[o]) fail(where + "output '" + g.tensors[o].name + "' is produced twice");
    ready[o] = true;
  }
  for (int o : g.outputs) {
    if (o < 0 || o >= n_tensors) fail("graph output index out of range");
    if (g.tensors[o].is_constant) fail("graph output '" + g.tensors[o].name + "' is a constant");
    if (!ready[o]) fail("graph output '" + g.tensors[o].name + "' is never produced");
  }
}

}  // namespace yono::ir
