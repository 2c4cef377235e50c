// The Labels section: NUL-terminated strings, per model its name, its class
// names and an empty string. Text rather than records because only host
// tools read it, and it stays readable in a hex dump.
#include "yono/compiler/pack/pack_labels.h"

#include "pack_sections.h"
#include "yono/compiler/error.h"
#include "yono/format.h"

namespace yono {

std::vector<uint8_t> encode_labels(const PackLabels& labels) {
  std::vector<uint8_t> out;
  for (const auto& [model, classes] : labels) {
    if (classes.empty()) continue;
    pack_sections::put_string(out, model);
    for (const std::string& c : classes) {
      if (c.empty() || c.find('\0') != std::string::npos)
        throw Error("model '" + model + "': a class name is empty or holds a NUL byte");
      pack_sections::put_string(out, c);
    }
    pack_sections::put_string(out, "");
  }
  return out;
}

PackLabels labels_of(const std::vector<ir::Graph>& graphs) {
  PackLabels labels;
  for (const ir::Graph& g : graphs)
    if (!g.class_names.empty()) labels[g.name] = g.class_names;
  return labels;
}

PackLabels read_labels(const Pack& pack) {
  PackLabels labels;
  const std::vector<std::string> s =
      pack_sections::section_strings(pack, SectionType::kLabels, "Labels");
  for (size_t i = 0; i < s.size();) {
    const std::string& model = s[i++];
    uint32_t index = 0;
    if (pack.find_model(model.c_str(), &index) != Status::kOk)
      throw Error("the Labels section names model '" + model + "', which the pack lacks");
    std::vector<std::string>& classes = labels[model];
    while (i < s.size() && !s[i].empty()) classes.push_back(s[i++]);
    if (i == s.size()) throw Error("the Labels section ends inside a name");
    ++i;  // the empty string closing the model
  }
  return labels;
}

}  // namespace yono
