// The structure `yono inspect` prints: built from the pack as the device
// reads it, with the byte accounting of pack_sizes.h.
#include "yono/compiler/pack/pack_description.h"

#include <algorithm>
#include <cstring>

#include "pack_sections.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_input_layouts.h"
#include "yono/compiler/pack/pack_labels.h"
#include "yono/compiler/pack/pack_sizes.h"
#include "yono/format.h"

namespace yono {
namespace {

using nlohmann::json;

// The live-tensor lower bound of a packed model, read back from its records
// as arena_plan.h computes it from the IR: the largest total of 16-aligned
// activation bytes live at one op step (graph inputs from step 0, outputs to
// the last); a Reshape whose output has its input's offset is one buffer.
uint64_t live_tensor_bound(const PackSegment& seg, const ModelRecord& rec) {
  const TensorRecord* tensors = seg.tensors + rec.first_tensor;
  const uint32_t n = rec.tensor_count;
  std::vector<uint32_t> root(n);
  for (uint32_t t = 0; t < n; ++t) root[t] = t;
  std::vector<int64_t> first(n, INT64_MAX), last(n, -1);
  auto use = [&](uint32_t t, int64_t step) {
    first[t] = std::min(first[t], step);
    last[t] = std::max(last[t], step);
  };
  const int64_t end = static_cast<int64_t>(rec.op_count) - 1;
  for (uint32_t i = 0; i < rec.input_count; ++i) use(seg.op_io[rec.io_first + i], 0);
  for (uint32_t i = 0; i < rec.output_count; ++i)
    use(seg.op_io[rec.io_first + rec.input_count + i], end);
  for (uint32_t j = 0; j < rec.op_count; ++j) {
    const OpRecord& op = seg.ops[rec.first_op + j];
    const uint32_t* io = seg.op_io + op.io_first;
    for (uint32_t k = 0; k <= op.input_count; ++k) use(io[k], j);
    const TensorRecord& out = tensors[io[op.input_count]];
    if (op.type == static_cast<uint16_t>(OpType::kReshape) && out.offset == tensors[io[0]].offset) {
      root[io[op.input_count]] = root[io[0]];
    }
  }
  std::vector<int64_t> size(n, 0), from(n, INT64_MAX), to(n, -1);
  for (uint32_t t = 0; t < n; ++t) {
    if (tensors[t].kind != static_cast<uint8_t>(TensorKind::kActivation) || last[t] < 0) continue;
    const uint32_t r = root[t];
    size[r] = std::max<int64_t>(
        size[r], (tensors[t].size + kSectionAlign - 1) / kSectionAlign * kSectionAlign);
    from[r] = std::min(from[r], first[t]);
    to[r] = std::max(to[r], last[t]);
  }
  uint64_t peak = 0;
  for (int64_t step = 0; step <= end; ++step) {
    uint64_t live = 0;
    for (uint32_t t = 0; t < n; ++t)
      if (from[t] <= step && step <= to[t]) live += static_cast<uint64_t>(size[t]);
    peak = std::max(peak, live);
  }
  return peak;
}

const char* op_type_name(uint16_t type) {
  switch (static_cast<OpType>(type)) {
    case OpType::kConv: return "Conv";
    case OpType::kDense: return "Dense";
    case OpType::kPool: return "Pool";
    case OpType::kGlobalPool: return "GlobalPool";
    case OpType::kUnary: return "Unary";
    case OpType::kBinary: return "Binary";
    case OpType::kChannelAffine: return "ChannelAffine";
    case OpType::kConcat: return "Concat";
    case OpType::kSoftmax: return "Softmax";
    case OpType::kPad: return "Pad";
    case OpType::kReshape: return "Reshape";
    case OpType::kAxisGather: return "AxisGather";
    case OpType::kLogSoftmax: return "LogSoftmax";
    case OpType::kConvert: return "Convert";
  }
  return "Unknown";  // unreachable: Pack::open rejects unknown op types
}

const char* section_name(uint32_t type) {
  switch (static_cast<SectionType>(type)) {
    case SectionType::kStrings: return "strings";
    case SectionType::kModels: return "models";
    case SectionType::kTensors: return "tensors";
    case SectionType::kOps: return "ops";
    case SectionType::kOpIo: return "op_io";
    case SectionType::kParams: return "params";
    case SectionType::kWeights: return "weights";
    case SectionType::kCodebooks: return "codebooks";
    case SectionType::kCodeBlocks: return "code_blocks";
    case SectionType::kLabels: return "labels";
    case SectionType::kInputLayouts: return "input_layouts";
  }
  return "unknown";
}

double ratio(uint64_t hypothetical, uint64_t actual) {
  return actual ? static_cast<double>(hypothetical) / static_cast<double>(actual) : 0.0;
}

json sizes_json(const Sizes& s) {
  return {{"bytes", s.bytes},
          {"bytes_if_f32", s.if_f32},
          {"bytes_if_int8", s.if_int8},
          {"ratio_vs_f32", ratio(s.if_f32, s.bytes)},
          {"ratio_vs_int8", ratio(s.if_int8, s.bytes)}};
}

json encoding_json(const Pack& pack, const WeightEncoding& e) {
  json j = {{"kind", e.kind}};
  if (!e.scales.empty()) j["scales"] = e.scales;
  if (e.kind == "pq") {
    j["codebook"] = pack.codebook_name(e.codebook);
    j["K"] = e.k;
    j["D"] = e.dim;
    j["code_bits"] = e.code_bits;
  }
  return j;
}

// Packs written without --keep-names leave inner tensors unnamed; inspect
// then labels them by their model-local index.
std::string tensor_label(const PackSegment& seg, const TensorRecord& t, uint32_t index) {
  const char* name = seg.string_at(t.name);
  return name[0] != '\0' ? std::string(name) : "#" + std::to_string(index);
}

json tensor_json(const PackSegment& seg, const TensorRecord& t, uint32_t index) {
  return {{"name", tensor_label(seg, t, index)},
          {"shape", std::vector<uint32_t>(t.dims, t.dims + t.rank)},
          {"bytes", t.size}};
}

}  // namespace

json describe_pack(const std::string& path, const Pack& pack) {
  PackHeader header;
  std::memcpy(&header, pack.data(), sizeof(header));
  json sections = json::array();
  for (const SectionEntry& e : pack_sections::read_section_table(pack)) {
    sections.push_back({{"type", section_name(e.type)}, {"offset", e.offset}, {"bytes", e.size}});
  }

  json models = json::array();
  const PackLabels labels = read_labels(pack);
  const PackInputLayouts layouts = read_input_layouts(pack);
  const std::vector<double> shares = codebook_shares(pack);
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const ModelRecord& rec = pack.models()[m];
    const PackSegment& seg = pack.model_segment(m);
    const TensorRecord* tensors = seg.tensors + rec.first_tensor;
    const uint32_t* io = seg.op_io;
    json inputs = json::array(), outputs = json::array(), layers = json::array();
    for (uint32_t i = 0; i < rec.input_count; ++i) {
      const uint32_t t = io[rec.io_first + i];
      inputs.push_back(tensor_json(seg, tensors[t], t));
      // A folded layout: the model's own shape, which `yono run` also takes.
      const auto folded = layouts.find(pack.model_name(m));
      if (folded == layouts.end()) continue;
      for (const ir::InputLayout& l : folded->second) {
        if (l.input != inputs.back()["name"].get<std::string>()) continue;
        const std::vector<int64_t> dims(tensors[t].dims, tensors[t].dims + tensors[t].rank);
        inputs.back()["model_shape"] = original_dims(dims, l.perm);
        inputs.back()["perm"] = l.perm;
      }
    }
    for (uint32_t i = 0; i < rec.output_count; ++i) {
      const uint32_t t = io[rec.io_first + rec.input_count + i];
      outputs.push_back(tensor_json(seg, tensors[t], t));
    }
    uint64_t model_weight_bytes = 0;
    for (uint32_t o = 0; o < rec.op_count; ++o) {
      const OpRecord& op = seg.ops[rec.first_op + o];
      uint64_t weight_bytes = 0;  // as stored: codes or values + scales, and biases
      for (uint32_t i = 0; i < op.input_count; ++i) {
        const TensorRecord& t = tensors[io[op.io_first + i]];
        if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
          weight_bytes += constant_payload_bytes(seg, t);
        }
      }
      model_weight_bytes += weight_bytes;
      const uint32_t out_index = io[op.io_first + op.input_count];
      const TensorRecord& out = tensors[out_index];
      json layer = {{"type", op_type_name(op.type)},
                    {"output", tensor_label(seg, out, out_index)},
                    {"shape", std::vector<uint32_t>(out.dims, out.dims + out.rank)},
                    {"param_bytes", op.param_size},
                    {"weight_bytes", weight_bytes}};
      const bool weighted = op.type == static_cast<uint16_t>(OpType::kConv) ||
                            op.type == static_cast<uint16_t>(OpType::kDense);
      if (weighted && op.input_count >= 2) {
        const TensorRecord& w = tensors[io[op.io_first + 1]];
        if (w.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
          layer["weight_encoding"] = encoding_json(pack, weight_encoding(pack, seg, w));
        }
      }
      if (weighted && op.input_count >= 3) {
        const TensorRecord& b = tensors[io[op.io_first + 2]];
        layer["bias"] = b.dtype == static_cast<uint8_t>(DType::kF16) ? "f16" : "f32";
      }
      layers.push_back(layer);
    }
    const ModelSizes sizes = model_sizes(pack, m);
    json size = sizes_json(sizes);
    size["metadata_bytes"] = sizes.metadata;
    size["constant_bytes"] = sizes.constants;
    size["split"] = {{"codebook_share_bytes", shares[m]},
                     {"code_bytes", sizes.codes},
                     {"plain_weight_bytes", sizes.plain_weights},
                     {"scale_bias_bytes", sizes.scales_biases},
                     {"metadata_bytes", sizes.metadata}};
    json shared = json::array();
    for (uint32_t c : sizes.codebooks) shared.push_back(pack.codebook_name(c));
    models.push_back({{"name", pack.model_name(m)},
                      {"arena_bytes", rec.arena_size},
                      {"arena_plan",
                       {{"activation_bytes", rec.arena_size - rec.scratch_size},
                        {"live_tensor_bound", live_tensor_bound(seg, rec)},
                        {"scratch_bytes", rec.scratch_size}}},
                      {"weight_bytes", model_weight_bytes},
                      {"size", size},
                      {"codebooks_used", shared},
                      {"inputs", inputs},
                      {"outputs", outputs},
                      {"layers", layers}});
    const auto classes = labels.find(pack.model_name(m));
    if (classes != labels.end()) models.back()["classes"] = classes->second;
  }
  json codebooks = json::array();
  for (const CodebookSize& c : codebook_sizes(pack)) {
    codebooks.push_back(
        {{"name", c.name}, {"K", c.k}, {"D", c.dim}, {"dtype", c.dtype}, {"bytes", c.bytes}});
  }
  return {{"file", path},
          {"size", sizes_json(pack_sizes(pack))},
          {"codebooks", codebooks},
          {"total_bytes", pack.size()},
          {"format_version", header.version},
          {"sections", sections},
          {"models", models}};
}

namespace {

// The part of `base` byte `at` belongs to: "header", "section table", a
// section's type name, or "padding".
std::string base_region(const Pack& base, const std::vector<SectionEntry>& table, uint64_t at) {
  if (at < sizeof(PackHeader)) return "header";
  PackHeader h;
  std::memcpy(&h, base.data(), sizeof(h));
  const uint64_t t = section_table_offset(h);
  if (at >= t && at < t + table.size() * sizeof(SectionEntry)) return "section table";
  for (const SectionEntry& e : table)
    if (at >= e.offset && at < uint64_t{e.offset} + e.size) return section_name(e.type);
  return "padding";
}

}  // namespace

json describe_delta(const std::string& path, const Pack& pack, const std::string& base_path,
                    const Pack& base) {
  const std::vector<uint8_t> before(base.data(), base.data() + base.size());
  const std::vector<uint8_t> after(pack.data(), pack.data() + pack.size());
  const PackDelta d = pack_delta(before, after);
  const std::vector<SectionEntry> table = pack_sections::read_section_table(base);
  json runs = json::array();
  const size_t common = std::min(before.size(), after.size());
  for (size_t i = 0; i < common;) {
    if (before[i] == after[i]) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < common && before[end] != after[end]) ++end;
    const size_t changed = end - i;
    const std::string region = base_region(base, table, i);
    // Runs in the same part of the base are one entry: the header's fields
    // change a few bytes each.
    if (!runs.empty() && runs.back()["in_base"] == region) {
      runs.back()["bytes"] = runs.back()["bytes"].get<size_t>() + changed;
      runs.back()["span"] = end - runs.back()["offset"].get<size_t>();
    } else {
      runs.push_back({{"offset", i}, {"bytes", changed}, {"span", changed}, {"in_base", region}});
    }
    i = end;
  }
  // Every base section but Models (which a grown pack supersedes) must
  // still hold its bytes at its offset for the device's copy to stay valid.
  bool kept = after.size() >= before.size();
  for (const SectionEntry& e : table) {
    if (!kept || e.type == static_cast<uint32_t>(SectionType::kModels)) continue;
    kept = std::memcmp(before.data() + e.offset, after.data() + e.offset, e.size) == 0;
  }
  json added = json::array();
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    uint32_t found = 0;
    if (base.find_model(pack.model_name(m), &found) != Status::kOk) {
      const ModelSizes s = model_sizes(pack, m);
      added.push_back({{"name", pack.model_name(m)}, {"own_bytes", s.bytes}});
    }
  }
  return {{"file", path},
          {"base", base_path},
          {"bytes", after.size()},
          {"base_bytes", before.size()},
          {"delta_bytes", d.bytes()},
          {"changed_bytes", d.changed},
          {"appended_bytes", d.appended},
          {"removed_bytes", d.removed},
          {"changed_runs", runs},
          {"base_sections_kept", kept},
          {"models_added", added}};
}

}  // namespace yono
