// The InputLayouts section: NUL-terminated strings, per model its name, then
// per folded input its name and its permutation as decimal text ("0,3,1,2"),
// then an empty string. Text like Labels: only host tools read it.
#include "yono/compiler/pack/pack_input_layouts.h"

#include <algorithm>

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
  for (const auto& [model, inputs] : layouts) {
    if (inputs.empty()) continue;
    pack_sections::put_string(out, model);
    for (const ir::InputLayout& l : inputs) {
      if (l.input.empty()) throw Error("model '" + model + "': an input with a layout has no name");
      pack_sections::put_string(out, l.input);
      pack_sections::put_string(out, perm_text(l.perm));
    }
    pack_sections::put_string(out, "");
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
  const std::vector<std::string> s =
      pack_sections::section_strings(pack, SectionType::kInputLayouts, "InputLayouts");
  for (size_t i = 0; i < s.size();) {
    const std::string& model = s[i++];
    uint32_t index = 0;
    if (pack.find_model(model.c_str(), &index) != Status::kOk)
      throw Error("the InputLayouts section names model '" + model + "', which the pack lacks");
    std::vector<ir::InputLayout>& inputs = layouts[model];
    while (i + 1 < s.size() && !s[i].empty()) {
      inputs.push_back({s[i], parse_perm(s[i + 1], model)});
      i += 2;
    }
    if (i >= s.size() || !s[i].empty())
      throw Error("the InputLayouts section ends inside model '" + model + "'");
    ++i;  // the empty string closing the model
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
