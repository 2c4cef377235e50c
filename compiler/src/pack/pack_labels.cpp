// The Labels section: NUL-terminated strings, per model its name, its class
// names and an empty string. Text rather than records because only host
// tools read it, and it stays readable in a hex dump.
#include "yono/compiler/pack/pack_labels.h"

#include <cstring>

#include "pack_sections.h"
#include "yono/compiler/error.h"
#include "yono/format.h"

namespace yono {

std::vector<uint8_t> encode_labels(const PackLabels& labels) {
  std::vector<uint8_t> out;
  auto put = [&](const std::string& s) {
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(0);
  };
  for (const auto& [model, classes] : labels) {
    if (classes.empty()) continue;
    put(model);
    for (const std::string& c : classes) {
      if (c.empty() || c.find('\0') != std::string::npos)
        throw Error("model '" + model + "': a class name is empty or holds a NUL byte");
      put(c);
    }
    put("");
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
  for (const SectionEntry& e : pack_sections::read_section_table(pack)) {
    if (e.type != static_cast<uint32_t>(SectionType::kLabels)) continue;
    const char* p = reinterpret_cast<const char*>(pack.data() + e.offset);
    const char* end = p + e.size;
    auto next = [&]() {
      const void* nul = std::memchr(p, 0, static_cast<size_t>(end - p));
      if (nul == nullptr) throw Error("the Labels section ends inside a name");
      std::string s(p, static_cast<const char*>(nul));
      p = static_cast<const char*>(nul) + 1;
      return s;
    };
    while (p < end) {
      const std::string model = next();
      uint32_t index = 0;
      if (pack.find_model(model.c_str(), &index) != Status::kOk)
        throw Error("the Labels section names model '" + model + "', which the pack lacks");
      std::vector<std::string>& classes = labels[model];
      for (std::string c = next(); !c.empty(); c = next()) classes.push_back(c);
    }
  }
  return labels;
}

}  // namespace yono
