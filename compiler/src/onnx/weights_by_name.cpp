#include <map>

#include "onnx_reader.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx/weights.h"

namespace yono {

void load_weights_by_name(ir::Graph& g, const std::string& onnx_path) {
  const onnx::ModelProto model = onnx_import::load_model(onnx_path);
  std::map<std::string, const onnx::TensorProto*> by_name;
  for (const onnx::TensorProto& t : model.graph().initializer()) by_name[t.name()] = &t;

  std::vector<std::pair<ir::Tensor*, std::vector<float>>> updates;
  for (ir::Tensor& t : g.tensors) {
    if (!t.is_constant) continue;
    auto it = by_name.find(t.name);
    if (it == by_name.end()) it = by_name.find(t.name + "/1d");
    if (it == by_name.end())
      throw Error(onnx_path + ": no initializer for weight '" + t.name +
                  "' (another architecture?)");
    const onnx_import::HostTensor h =
        onnx_import::decode_tensor(*it->second, onnx_path + ": initializer '" + t.name + "'");
    if (h.is_int || h.values.size() != t.data.size())
      throw Error(onnx_path + ": initializer '" + t.name + "' has " +
                  std::to_string(h.values.size()) + " values, the architecture needs " +
                  std::to_string(t.data.size()));
    updates.emplace_back(&t, std::vector<float>(h.values.begin(), h.values.end()));
  }
  for (auto& [t, values] : updates) t->data = std::move(values);
}

}  // namespace yono
