// The InputLayouts section: NUL-terminated strings, per model its name, then
// per folded input its name and its permutation as decimal text ("0,3,1,2"),
// then an empty string. Text like Labels: only host tools read it.
#include "yono/compiler/pack/pack_input_layouts.h"

#include <cstring>

#include "pack_sections.h"
#include "yono/compiler/error.h"
#include "yono/format.h"

namespace yono {
namespace {

std::string perm_text(const std::vector<int64_t>& perm) {
  std::string s;
  for (int64_t p : perm) s += (s.empty() ? "" : ",") + std::to_string(p);
  return s;
}

std::vector<int64_t> parse_perm(const std::string& text, const std::string& model) {
  std::vector<int64_t> perm;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string field = text.substr(at, comma - at);
    if (field.empty() || field.size() > 2 ||
        field.find_first_not_of("0123456789") != std::string::npos)
      throw Error("the InputLayouts section holds a bad permutation '" + text + "' for model '" +
                  model + "'");
    perm.push_back(std::stoll(field));
    at = comma + 1;
  }
  std::vector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p >= static_cast<int64_t>(perm.size()) || seen[static_cast<size_t>(p)])
      throw Error("the InputLayouts section holds a bad permutation '" + text + "' for model '" +
                  model + "'");
    seen[static_cast<size_t>(p)] = true;
  }
  return perm;
}

}  // namespace

std::vector<uint8_t> encode_input_layouts(const PackInputLayouts& layouts) {
  std::vector<uint8_t> out;
  auto put = [&](const std::string& s) {
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(0);
  };
  for (const auto& [model, inputs] : layouts) {
    if (inputs.empty()) continue;
    put(model);
    for (const ir::InputLayout& l : inputs) {
      if (l.input.empty()) throw Error("model '" + model + "': an input with a layout has no name");
      put(l.input);
      put(perm_text(l.perm));
    }
    put("");
  }
  return out;
}

PackInputLayouts input_layouts_of(const std::vector<ir::Graph>& graphs) {
  PackInputLayouts layouts;
  for (const ir::Graph& g : graphs)
    if (!g.input_layouts.empty()) layouts[g.name] = g.input_layouts;
  return layouts;
}

PackInputLayouts read_input_layouts(const Pack& pack) {
  PackInputLayouts layouts;
  for (const SectionEntry& e : pack_sections::read_section_table(pack)) {
    if (e.type != static_cast<uint32_t>(SectionType::kInputLayouts)) continue;
    const char* p = reinterpret_cast<const char*>(pack.data() + e.offset);
    const char* end = p + e.size;
    auto next = [&]() {
      const void* nul = std::memchr(p, 0, static_cast<size_t>(end - p));
      if (nul == nullptr) throw Error("the InputLayouts section ends inside a string");
      std::string s(p, static_cast<const char*>(nul));
      p = static_cast<const char*>(nul) + 1;
      return s;
    };
    while (p < end) {
      const std::string model = next();
      uint32_t index = 0;
      if (pack.find_model(model.c_str(), &index) != Status::kOk)
        throw Error("the InputLayouts section names model '" + model + "', which the pack lacks");
      std::vector<ir::InputLayout>& inputs = layouts[model];
      for (std::string input = next(); !input.empty(); input = next())
        inputs.push_back({input, parse_perm(next(), model)});
    }
  }
  return layouts;
}

std::vector<int64_t> original_dims(const std::vector<int64_t>& pack_dims,
                                   const std::vector<int64_t>& perm) {
  if (perm.size() != pack_dims.size()) return pack_dims;
  std::vector<int64_t> out(pack_dims.size());
  for (size_t k = 0; k < perm.size(); ++k) out[static_cast<size_t>(perm[k])] = pack_dims[k];
  return out;
}

std::vector<float> to_pack_layout(const std::vector<float>& data,
                                  const std::vector<int64_t>& pack_dims,
                                  const std::vector<int64_t>& perm) {
  if (perm.size() != pack_dims.size())
    throw Error("a layout permutation of " + std::to_string(perm.size()) +
                " axes for an input of " + std::to_string(pack_dims.size()));
  const std::vector<int64_t> orig = original_dims(pack_dims, perm);
  std::vector<int64_t> stride(orig.size(), 1);
  for (size_t k = orig.size(); k-- > 1;) stride[k - 1] = stride[k] * orig[k];
  std::vector<float> out;
  out.reserve(data.size());
  std::vector<int64_t> idx(pack_dims.size(), 0);
  for (size_t i = 0; i < data.size(); ++i) {
    int64_t off = 0;
    for (size_t k = 0; k < idx.size(); ++k) off += idx[k] * stride[static_cast<size_t>(perm[k])];
    out.push_back(data[static_cast<size_t>(off)]);
    for (size_t k = idx.size(); k-- > 0;) {
      if (++idx[k] < pack_dims[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

}  // namespace yono
