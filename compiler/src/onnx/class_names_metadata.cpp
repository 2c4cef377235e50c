#include "class_names_metadata.h"

#include <nlohmann/json.hpp>

#include "yono/compiler/error.h"

namespace yono::onnx_import {

void write_class_names(const std::vector<std::string>& names, onnx::ModelProto& model) {
  if (names.empty()) return;
  auto* entry = model.add_metadata_props();
  entry->set_key(kClassNamesKey);
  entry->set_value(nlohmann::json(names).dump());
}

std::vector<std::string> read_class_names(const onnx::ModelProto& model, const std::string& path) {
  for (const auto& entry : model.metadata_props()) {
    if (entry.key() != kClassNamesKey) continue;
    const nlohmann::json j = nlohmann::json::parse(entry.value(), nullptr, false);
    bool ok = j.is_array();
    for (size_t i = 0; ok && i < j.size(); ++i) ok = j[i].is_string();
    if (!ok)
      throw Error(path + ": metadata '" + kClassNamesKey + "' is not a JSON array of strings");
    return j.get<std::vector<std::string>>();
  }
  return {};
}

}  // namespace yono::onnx_import
