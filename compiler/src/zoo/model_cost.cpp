#include <variant>

#include "yono/compiler/zoo/model_zoo.h"

namespace yono::zoo {

// Only Conv and Dense are counted as MACs, as MLPerf Tiny and most papers
// do: the per-element ops are a rounding error next to them.
ModelCost model_cost(const ir::Graph& g) {
  ModelCost cost;
  for (const ir::Tensor& t : g.tensors)
    if (t.is_constant) cost.params += ir::element_count(t.dims);
  for (const ir::Op& op : g.ops) {
    const ir::Dims& out = g.tensors[static_cast<size_t>(op.outputs[0])].dims;
    const ir::Dims& w = g.tensors[static_cast<size_t>(op.inputs[1 % op.inputs.size()])].dims;
    if (std::holds_alternative<ir::ConvAttrs>(op.attrs)) {
      // per output value: (C_in / groups) * kernel taps = weight elements / C_out
      cost.macs += ir::element_count(out) * (ir::element_count(w) / w[0]);
    } else if (std::holds_alternative<ir::DenseAttrs>(op.attrs)) {
      cost.macs += ir::element_count(w);
    }
  }
  return cost;
}

}  // namespace yono::zoo
