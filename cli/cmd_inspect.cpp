// `yono inspect out.yono [--json] [--against base.yono]`: prints describe_pack, or describe_delta
// (pack/pack_description.h) as JSON or as tables.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "yono/compiler/pack/pack_description.h"

namespace yono::cli {
namespace {

using nlohmann::json;

struct InspectOptions {
  std::string path;
  bool as_json = false;
  std::string base;  // --against
};

std::string shape_of(const json& j) {
  std::string s = "[";
  for (size_t i = 0; i < j.size(); ++i) s += (i ? "," : "") + std::to_string(j[i].get<int>());
  return s + "]";
}

std::string encoding_text(const json& layer) {
  // f32 scales and biases are the default and go unsaid.
  const std::string bias = layer.value("bias", "f32") == "f16" ? " b16" : "";
  if (!layer.contains("weight_encoding")) return bias.empty() ? "" : "f32" + bias;
  const json& e = layer["weight_encoding"];
  const std::string kind = e["kind"].get<std::string>();
  const std::string scales = e.value("scales", "f32") == "f16" ? " s16" : "";
  if (kind != "pq") return kind + scales + bias;
  return "pq K=" + std::to_string(e["K"].get<uint32_t>()) +
         " D=" + std::to_string(e["D"].get<uint32_t>()) + scales + bias;
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
    const json& plan = m["arena_plan"];
    std::printf("  arena: activations %llu bytes (live-tensor bound %llu) + decode scratch %llu\n",
                plan["activation_bytes"].get<unsigned long long>(),
                plan["live_tensor_bound"].get<unsigned long long>(),
                plan["scratch_bytes"].get<unsigned long long>());
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
        std::printf("  %-7s %s %s", role == std::string("inputs") ? "input" : "output",
                    t["name"].get<std::string>().c_str(), shape_of(t["shape"]).c_str());
        if (t.contains("model_shape"))
          std::printf(" (the ONNX model's own layout %s; its Transpose is folded)",
                      shape_of(t["model_shape"]).c_str());
        std::printf("\n");
      }
    }
    if (m.contains("classes")) {
      std::string names;
      for (const json& c : m["classes"])
        names += (names.empty() ? "" : ", ") + c.get<std::string>();
      std::printf("  classes %s\n", names.c_str());
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

void print_delta(const json& d) {
  std::printf("%s against %s: %zu -> %zu bytes\n", d["file"].get<std::string>().c_str(),
              d["base"].get<std::string>().c_str(), d["base_bytes"].get<size_t>(),
              d["bytes"].get<size_t>());
  std::printf("over-the-air delta: %zu bytes (%zu changed, %zu appended, %zu removed)\n",
              d["delta_bytes"].get<size_t>(), d["changed_bytes"].get<size_t>(),
              d["appended_bytes"].get<size_t>(), d["removed_bytes"].get<size_t>());
  for (const json& r : d["changed_runs"])
    std::printf("  changed %5zu bytes in [%zu, %zu) (base %s)\n", r["bytes"].get<size_t>(),
                r["offset"].get<size_t>(), r["offset"].get<size_t>() + r["span"].get<size_t>(),
                r["in_base"].get<std::string>().c_str());
  for (const json& m : d["models_added"])
    std::printf("  new model %s: %zu bytes of its own\n", m["name"].get<std::string>().c_str(),
                m["own_bytes"].get<size_t>());
  std::printf("base sections (codebooks, records, weights) %s\n",
              d["base_sections_kept"].get<bool>() ? "unchanged, byte for byte"
                                                  : "CHANGED: a device must rewrite them");
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto opt = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand("inspect", "Show the models, layers and sizes in a pack");
  cmd->footer(
      "Examples:\n  yono inspect models/zoo.yono\n  yono inspect grown.yono --against "
      "models/zoo.yono   # what an over-the-air update sends");
  cmd->add_option("pack", opt->path, "Pack file")->required();
  cmd->add_flag("--json", opt->as_json, "Print JSON instead of text");
  cmd->add_option("--against", opt->base,
                  "Instead: the over-the-air delta from this base pack (e.g. the one `yono add` "
                  "grew): the bytes that differ or are new, and where")
      ->check(CLI::ExistingFile);
  cmd->callback([opt] {
    const std::unique_ptr<LoadedPack> loaded = load_pack(opt->path);
    if (!opt->base.empty()) {
      const std::unique_ptr<LoadedPack> base = load_pack(opt->base);
      const json d = describe_delta(opt->path, loaded->pack, opt->base, base->pack);
      if (opt->as_json) {
        std::printf("%s\n", d.dump(2).c_str());
      } else {
        print_delta(d);
      }
      return;
    }
    const json d = describe_pack(opt->path, loaded->pack);
    if (opt->as_json) {
      std::printf("%s\n", d.dump(2).c_str());
    } else {
      print_text(d);
    }
  });
}

}  // namespace yono::cli
