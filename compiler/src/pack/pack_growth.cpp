// Appending a segment to an existing pack (docs/pack-format.md, "Segments").
// The base's sections stay where they are, byte for byte: only the header is
// rewritten, and the base's Models section and section table become dead
// bytes, superseded by new copies after the appended segment.
#include "yono/compiler/pack/pack_growth.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>

#include "model_writer.h"
#include "pack_sections.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/compiler/pack/pack_input_layouts.h"
#include "yono/compiler/pack/pack_labels.h"
#include "yono/crc32.h"
#include "yono/format.h"

namespace yono {
namespace {

using pack_sections::checked_u32;
using pack_sections::pad_to;

PackHeader header_of(const Pack& p) {
  PackHeader h;
  std::memcpy(&h, p.data(), sizeof(h));
  return h;
}

bool same_codebooks(const std::vector<ir::Codebook>& a, const std::vector<ir::Codebook>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].dim != b[i].dim || a[i].codeword_count != b[i].codeword_count ||
        a[i].dtype != b[i].dtype || a[i].centroids != b[i].centroids)
      return false;
  return true;
}

// Appends `bytes` as a section of `type` at the next 16-byte boundary.
void add_section(std::vector<uint8_t>& out, std::vector<SectionEntry>& table, SectionType type,
                 const std::vector<uint8_t>& bytes) {
  pad_to(out, kSectionAlign);
  SectionEntry e{};
  e.type = static_cast<uint32_t>(type);
  e.offset = checked_u32(out.size(), "pack");
  e.size = checked_u32(bytes.size(), "section");
  e.crc32 = crc32(bytes.data(), bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
  table.push_back(e);
}

}  // namespace

std::vector<uint8_t> grow_pack(const Pack& base, const std::vector<ir::Graph>& models,
                               const std::vector<ir::Codebook>& codebooks,
                               const PackWriteOptions& options) {
  if (models.empty()) throw Error("no models to add");
  if (base.codebook_count() == 0)
    throw Error("the base pack holds no codebooks, so there is nothing to add models against");
  if (!same_codebooks(codebooks, read_codebooks(base)))
    throw Error("the models were not compressed against the base pack's codebooks");
  if (base.segment_count() >= kMaxSegments)
    throw Error("the base pack already has " + std::to_string(kMaxSegments) +
                " segments, the most a pack may have; rewrite it whole with yono compress");
  std::set<std::string> taken;
  for (uint32_t m = 0; m < base.model_count(); ++m) taken.insert(base.model_name(m));
  check_model_names(models, taken);

  pack_sections::Sections s;
  for (const ir::Graph& g : models) append_model(s, g, codebooks, options);
  const uint32_t segment = base.segment_count();
  std::vector<ModelRecord> added(s.models.size() / sizeof(ModelRecord));
  std::memcpy(added.data(), s.models.data(), s.models.size());
  std::vector<uint8_t> all_models(base.model_count() * sizeof(ModelRecord));
  std::memcpy(all_models.data(), base.models(), all_models.size());
  for (ModelRecord& m : added) {
    m.segment = segment;
    pack_sections::append(all_models, m);
  }

  const PackHeader old = header_of(base);
  std::vector<uint8_t> out(base.data(), base.data() + old.file_size);
  std::vector<SectionEntry> table;
  bool has_code_blocks = false;
  PackLabels labels = read_labels(base);
  for (const auto& [name, classes] : labels_of(models)) labels[name] = classes;
  PackInputLayouts layouts = read_input_layouts(base);
  for (const auto& [name, inputs] : input_layouts_of(models)) layouts[name] = inputs;
  for (const SectionEntry& e : pack_sections::read_section_table(base)) {
    // Models, Labels and InputLayouts are the pack's: superseded by copies
    // that add the new models'.
    if (e.type == static_cast<uint32_t>(SectionType::kModels) ||
        e.type == static_cast<uint32_t>(SectionType::kLabels) ||
        e.type == static_cast<uint32_t>(SectionType::kInputLayouts))
      continue;
    has_code_blocks |= e.type == static_cast<uint32_t>(SectionType::kCodeBlocks);
    table.push_back(e);
  }
  // A grown pack's every segment has code blocks, if need be an empty list.
  if (!has_code_blocks) add_section(out, table, SectionType::kCodeBlocks, {});
  add_section(out, table, SectionType::kStrings, s.strings.bytes());
  add_section(out, table, SectionType::kTensors, s.tensors);
  add_section(out, table, SectionType::kOps, s.ops);
  add_section(out, table, SectionType::kOpIo, s.op_io);
  add_section(out, table, SectionType::kParams, s.params);
  add_section(out, table, SectionType::kCodeBlocks, s.code_blocks);
  add_section(out, table, SectionType::kWeights, s.weights);
  add_section(out, table, SectionType::kModels, all_models);
  const std::vector<uint8_t> label_bytes = encode_labels(labels);
  if (!label_bytes.empty()) add_section(out, table, SectionType::kLabels, label_bytes);
  const std::vector<uint8_t> layout_bytes = encode_input_layouts(layouts);
  if (!layout_bytes.empty()) add_section(out, table, SectionType::kInputLayouts, layout_bytes);

  if (table.size() > kMaxSectionCount)
    throw Error("the grown pack would have " + std::to_string(table.size()) +
                " sections, more than the format's " + std::to_string(kMaxSectionCount) +
                "; rewrite the base whole with yono compress");
  pad_to(out, kSectionAlign);
  PackHeader h{};
  h.magic = kPackMagic;
  h.version = kPackVersionGrown;
  h.table_offset = checked_u32(out.size(), "pack");
  h.section_count = static_cast<uint32_t>(table.size());
  h.model_count = base.model_count() + static_cast<uint32_t>(added.size());
  const auto* t = reinterpret_cast<const uint8_t*>(table.data());
  out.insert(out.end(), t, t + table.size() * sizeof(SectionEntry));
  h.file_size = checked_u32(out.size(), "pack");
  uint32_t crc = crc32(reinterpret_cast<const uint8_t*>(&h), sizeof(h));
  crc = crc32(t, table.size() * sizeof(SectionEntry), crc);
  h.header_crc = crc;
  std::memcpy(out.data(), &h, sizeof(h));
  return out;
}

PackDelta pack_delta(const std::vector<uint8_t>& base, const std::vector<uint8_t>& grown) {
  PackDelta d;
  const size_t common = std::min(base.size(), grown.size());
  bool any = false;
  for (size_t i = 0; i < common; ++i) {
    if (base[i] == grown[i]) continue;
    ++d.changed;
    if (!any) d.first_changed = i;
    d.last_changed = i;
    any = true;
  }
  d.appended = grown.size() - common;
  d.removed = base.size() - common;
  return d;
}

}  // namespace yono
