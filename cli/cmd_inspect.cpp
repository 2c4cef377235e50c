// `yono inspect out.yono [--json]`: what a pack holds and what it will cost
// on the device (weight bytes in flash, arena bytes in RAM), per model, and
// how that compares with storing every conv/dense weight as float32 or int8
// (pack_sizes.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "pack_sizes.h"
#include "yono/format.h"

namespace yono::cli {
namespace {

using nlohmann::json;

struct InspectOptions {
  std::string path;
  bool as_json = false;
};

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
  if (e.kind == "pq") {
    j["codebook"] = pack.string_at(pack.codebooks()[e.codebook].name);
    j["K"] = e.k;
    j["D"] = e.dim;
    j["code_bits"] = e.code_bits;
  }
  return j;
}

json tensor_json(const Pack& pack, const TensorRecord& t) {
  return {{"name", pack.string_at(t.name)},
          {"shape", std::vector<uint32_t>(t.dims, t.dims + t.rank)},
          {"bytes", t.size}};
}

// Everything inspect shows, in one structure; the text form is printed from it
// so the two forms cannot disagree.
json describe(const std::string& path, const Pack& pack) {
  PackHeader header;
  std::memcpy(&header, pack.data(), sizeof(header));
  json sections = json::array();
  for (uint32_t s = 0; s < header.section_count; ++s) {
    SectionEntry e;
    std::memcpy(&e, pack.data() + sizeof(PackHeader) + s * sizeof(SectionEntry), sizeof(e));
    sections.push_back({{"type", section_name(e.type)}, {"offset", e.offset}, {"bytes", e.size}});
  }

  json models = json::array();
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const ModelRecord& rec = pack.models()[m];
    const TensorRecord* tensors = pack.tensors() + rec.first_tensor;
    const uint32_t* io = pack.op_io();
    json inputs = json::array(), outputs = json::array(), layers = json::array();
    for (uint32_t i = 0; i < rec.input_count; ++i) {
      inputs.push_back(tensor_json(pack, tensors[io[rec.io_first + i]]));
    }
    for (uint32_t i = 0; i < rec.output_count; ++i) {
      outputs.push_back(tensor_json(pack, tensors[io[rec.io_first + rec.input_count + i]]));
    }
    uint64_t model_weight_bytes = 0;
    for (uint32_t o = 0; o < rec.op_count; ++o) {
      const OpRecord& op = pack.ops()[rec.first_op + o];
      uint64_t weight_bytes = 0;  // as stored: codes or values + scales, and biases
      for (uint32_t i = 0; i < op.input_count; ++i) {
        const TensorRecord& t = tensors[io[op.io_first + i]];
        if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
          weight_bytes += constant_payload_bytes(pack, t);
        }
      }
      model_weight_bytes += weight_bytes;
      const TensorRecord& out = tensors[io[op.io_first + op.input_count]];
      json layer = {{"type", op_type_name(op.type)},
                    {"output", pack.string_at(out.name)},
                    {"shape", std::vector<uint32_t>(out.dims, out.dims + out.rank)},
                    {"param_bytes", op.param_size},
                    {"weight_bytes", weight_bytes}};
      const bool weighted = op.type == static_cast<uint16_t>(OpType::kConv) ||
                            op.type == static_cast<uint16_t>(OpType::kDense);
      if (weighted && op.input_count >= 2) {
        const TensorRecord& w = tensors[io[op.io_first + 1]];
        if (w.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
          layer["weight_encoding"] = encoding_json(pack, weight_encoding(pack, w));
        }
      }
      layers.push_back(layer);
    }
    const ModelSizes sizes = model_sizes(pack, m);
    json size = sizes_json(sizes);
    size["metadata_bytes"] = sizes.metadata;
    size["constant_bytes"] = sizes.constants;
    json shared = json::array();
    for (uint32_t c : sizes.codebooks) shared.push_back(pack.string_at(pack.codebooks()[c].name));
    models.push_back({{"name", pack.model_name(m)},
                      {"arena_bytes", rec.arena_size},
                      {"weight_bytes", model_weight_bytes},
                      {"size", size},
                      {"codebooks_used", shared},
                      {"inputs", inputs},
                      {"outputs", outputs},
                      {"layers", layers}});
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

std::string shape_of(const json& j) {
  std::string s = "[";
  for (size_t i = 0; i < j.size(); ++i) s += (i ? "," : "") + std::to_string(j[i].get<int>());
  return s + "]";
}

std::string encoding_text(const json& layer) {
  if (!layer.contains("weight_encoding")) return "";
  const json& e = layer["weight_encoding"];
  const std::string kind = e["kind"].get<std::string>();
  if (kind != "pq") return kind;
  return "pq K=" + std::to_string(e["K"].get<uint32_t>()) +
         " D=" + std::to_string(e["D"].get<uint32_t>());
}

std::string ratios_text(const json& size) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.2fx vs float32 (%llu B), %.2fx vs int8 (%llu B)",
                size["ratio_vs_f32"].get<double>(), size["bytes_if_f32"].get<unsigned long long>(),
                size["ratio_vs_int8"].get<double>(),
                size["bytes_if_int8"].get<unsigned long long>());
  return buf;
}

void print_text(const json& d) {
  std::printf("%s: pack v%d, %zu models, %zu bytes\n", d["file"].get<std::string>().c_str(),
              d["format_version"].get<int>(), d["models"].size(), d["total_bytes"].get<size_t>());
  if (!d["codebooks"].empty()) {
    std::printf("\ncodebooks (stored once, shared by the models that use them):\n");
    for (const json& c : d["codebooks"]) {
      std::printf("  %-24s K=%-6u D=%-3u %-3s %8llu bytes\n", c["name"].get<std::string>().c_str(),
                  c["K"].get<uint32_t>(), c["D"].get<uint32_t>(),
                  c["dtype"].get<std::string>().c_str(), c["bytes"].get<unsigned long long>());
    }
  }
  for (const json& m : d["models"]) {
    const json& size = m["size"];
    std::printf("\nmodel %s: arena %u bytes, own bytes %llu (metadata %llu, weights %llu)\n",
                m["name"].get<std::string>().c_str(), m["arena_bytes"].get<uint32_t>(),
                size["bytes"].get<unsigned long long>(),
                size["metadata_bytes"].get<unsigned long long>(),
                size["constant_bytes"].get<unsigned long long>());
    std::printf("  size: %s", ratios_text(size).c_str());
    if (!m["codebooks_used"].empty()) {
      std::string names;
      for (const json& n : m["codebooks_used"])
        names += (names.empty() ? "" : ", ") + n.get<std::string>();
      std::printf("; plus shared codebooks %s (not counted here)", names.c_str());
    }
    std::printf("\n");
    for (const char* role : {"inputs", "outputs"}) {
      for (const json& t : m[role]) {
        std::printf("  %-7s %s %s\n", role == std::string("inputs") ? "input" : "output",
                    t["name"].get<std::string>().c_str(), shape_of(t["shape"]).c_str());
      }
    }
    std::printf("  %4s  %-13s %-16s %8s %8s  %-16s %s\n", "#", "layer", "shape", "attr B",
                "stored B", "weights", "output");
    int index = 0;
    for (const json& l : m["layers"]) {
      std::printf("  %4d  %-13s %-16s %8u %8llu  %-16s %s\n", index++,
                  l["type"].get<std::string>().c_str(), shape_of(l["shape"]).c_str(),
                  l["param_bytes"].get<uint32_t>(), l["weight_bytes"].get<unsigned long long>(),
                  encoding_text(l).c_str(), l["output"].get<std::string>().c_str());
    }
  }
  std::printf("\nsections:\n");
  for (const json& s : d["sections"]) {
    std::printf("  %-11s offset %8u  %8u bytes\n", s["type"].get<std::string>().c_str(),
                s["offset"].get<uint32_t>(), s["bytes"].get<uint32_t>());
  }
  std::printf("total: %zu bytes; %s\n", d["total_bytes"].get<size_t>(),
              ratios_text(d["size"]).c_str());
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto opt = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand("inspect", "Show the models, layers and sizes in a pack");
  cmd->add_option("pack", opt->path, "Pack file")->required();
  cmd->add_flag("--json", opt->as_json, "Print JSON instead of text");
  cmd->callback([opt] {
    const std::unique_ptr<LoadedPack> loaded = load_pack(opt->path);
    const json d = describe(opt->path, loaded->pack);
    if (opt->as_json) {
      std::printf("%s\n", d.dump(2).c_str());
    } else {
      print_text(d);
    }
  });
}

}  // namespace yono::cli
