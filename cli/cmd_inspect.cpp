// `yono inspect out.yono [--json]`: what a pack holds and what it will cost
// on the device (weight bytes in flash, arena bytes in RAM), per model.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
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
  }
  return "unknown";
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
      uint64_t weight_bytes = 0;
      for (uint32_t i = 0; i < op.input_count; ++i) {
        const TensorRecord& t = tensors[io[op.io_first + i]];
        if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) weight_bytes += t.size;
      }
      model_weight_bytes += weight_bytes;
      const TensorRecord& out = tensors[io[op.io_first + op.input_count]];
      layers.push_back({{"type", op_type_name(op.type)},
                        {"output", pack.string_at(out.name)},
                        {"shape", std::vector<uint32_t>(out.dims, out.dims + out.rank)},
                        {"param_bytes", op.param_size},
                        {"weight_bytes", weight_bytes}});
    }
    models.push_back({{"name", pack.model_name(m)},
                      {"arena_bytes", rec.arena_size},
                      {"weight_bytes", model_weight_bytes},
                      {"inputs", inputs},
                      {"outputs", outputs},
                      {"layers", layers}});
  }
  return {{"file", path},
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

void print_text(const json& d) {
  std::printf("%s: pack v%d, %zu models, %zu bytes\n", d["file"].get<std::string>().c_str(),
              d["format_version"].get<int>(), d["models"].size(), d["total_bytes"].get<size_t>());
  for (const json& m : d["models"]) {
    std::printf("\nmodel %s: arena %u bytes, weights %llu bytes\n",
                m["name"].get<std::string>().c_str(), m["arena_bytes"].get<uint32_t>(),
                m["weight_bytes"].get<unsigned long long>());
    for (const char* role : {"inputs", "outputs"}) {
      for (const json& t : m[role]) {
        std::printf("  %-7s %s %s\n", role == std::string("inputs") ? "input" : "output",
                    t["name"].get<std::string>().c_str(), shape_of(t["shape"]).c_str());
      }
    }
    std::printf("  %4s  %-13s %-16s %8s %8s  %s\n", "#", "layer", "shape", "attr B", "weight B",
                "output");
    int index = 0;
    for (const json& l : m["layers"]) {
      std::printf("  %4d  %-13s %-16s %8u %8llu  %s\n", index++,
                  l["type"].get<std::string>().c_str(), shape_of(l["shape"]).c_str(),
                  l["param_bytes"].get<uint32_t>(), l["weight_bytes"].get<unsigned long long>(),
                  l["output"].get<std::string>().c_str());
    }
  }
  std::printf("\nsections:\n");
  for (const json& s : d["sections"]) {
    std::printf("  %-8s offset %8u  %8u bytes\n", s["type"].get<std::string>().c_str(),
                s["offset"].get<uint32_t>(), s["bytes"].get<uint32_t>());
  }
  std::printf("total: %zu bytes\n", d["total_bytes"].get<size_t>());
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
