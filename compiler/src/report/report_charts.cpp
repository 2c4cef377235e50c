#include "report_charts.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace yono::report {
namespace {

using nlohmann::json;

json chart(const std::string& id, const std::string& title, const std::string& kind,
           const std::string& note) {
  return {{"id", id}, {"title", title}, {"kind", kind}, {"note", note}};
}

std::vector<std::string> model_names(const Sources& s) {
  std::vector<std::string> names;
  for (const json& m : s.pack["models"]) names.push_back(m["name"].get<std::string>());
  return names;
}

// The float32 accuracy of each model: an evaluated pack with no compression,
// else the compress sweep's "float" run.
std::map<std::string, double> float_accuracy(const Sources& s) {
  std::map<std::string, double> acc;
  for (const Eval& e : s.evals)
    if (e.pack_ratio_vs_f32 <= 1.0) acc[e.model] = e.result["accuracy"].get<double>();
  if (s.sweep.is_array()) {
    for (const json& run : s.sweep) {
      if (run["name"] != "float") continue;
      for (const auto& [model, a] : run["test_accuracy"].items())
        if (acc.count(model) == 0) acc[model] = a.get<double>();
    }
  }
  return acc;
}

// The firmware images to show: the M4 ones when the M4 was measured.
std::vector<json> shown_firmware(const Sources& s) {
  std::vector<json> m4, all;
  for (const json& fw : s.firmware) {
    all.push_back(fw);
    if (fw.value("board", "") == kM4Board) m4.push_back(fw);
  }
  return m4.empty() ? all : m4;
}

json nullable(const json& j, const std::string& key) {
  return j.contains(key) ? j[key] : json(nullptr);
}

// A modelled MCU cost (`unit` of mcu_model[what]) for the switch alone and
// with the first inference; null for the latter when the switch JSON was made
// without an inference count.
json mcu_pair(const json& mcu, const std::string& what, const char* unit) {
  return json::array({mcu[what][unit], nullable(nullable(mcu, what + "_infer"), unit)});
}

// The fields every bar chart has besides its title and note.
void set_bars(json& c, json categories, json series, bool stacked, bool log,
              const std::string& y_label) {
  c["categories"] = std::move(categories);
  c["series"] = std::move(series);
  c["stacked"] = stacked;
  c["log"] = log;
  c["y_label"] = y_label;
}

}  // namespace

json accuracy_vs_ratio_chart(const Sources& s) {
  const std::map<std::string, double> reference = float_accuracy(s);
  json points = json::array();
  // `named`: the pack's name is written beside its points (the evaluated
  // packs; the sweep's many runs are named in their tooltips only).
  auto add = [&](const std::string& model, double ratio, double accuracy, const std::string& label,
                 bool named) {
    const auto f = reference.find(model);
    if (f == reference.end() || ratio <= 0) return;
    points.push_back({{"x", ratio},
                      {"y", 100.0 * (accuracy - f->second)},
                      {"series", model},
                      {"label", label},
                      {"named", named}});
  };
  for (const Eval& e : s.evals)
    if (e.pack_ratio_vs_f32 > 1.0)
      add(e.model, e.pack_ratio_vs_f32, e.result["accuracy"].get<double>(), e.variant, true);
  // Sweep packs against the sweep's own float32 pack, file to file, as
  // inspect's ratio of an evaluated pack is (same graphs, every weight f32);
  // compress's report divides the float constants alone, a smaller number.
  double float_pack_bytes = 0;
  if (s.sweep.is_array())
    for (const json& run : s.sweep)
      if (run["name"] == "float") float_pack_bytes = run["report"].value("pack_bytes", 0.0);
  if (float_pack_bytes > 0) {
    for (const json& run : s.sweep) {
      const json& r = run.value("report", json::object());
      if (run["name"] == "float" || r.value("pack_bytes", 0.0) <= 0) continue;
      for (const auto& [model, a] : run["test_accuracy"].items())
        add(model, float_pack_bytes / r["pack_bytes"].get<double>(), a.get<double>(),
            "sweep " + run["name"].get<std::string>(), false);
    }
  }
  if (points.empty()) return nullptr;
  json c = chart("accuracy-vs-ratio", "Accuracy against compression", "scatter",
                 "Test-split accuracy through the runtime minus the float32 model's (pp), against "
                 "the whole pack's size ratio to float32 (shared codebooks counted once). Points: "
                 "the evaluated packs" +
                     std::string(s.sweep.is_array()
                                     ? " and every run of the compress sweep (modes, int8, scalar "
                                       "k-means, the ratio-vs-loss curve)."
                                     : "."));
  c["points"] = points;
  c["x_label"] = "pack size ratio vs float32";
  c["y_label"] = "accuracy change vs float32 (pp)";
  c["log_x"] = true;
  return c;
}

json bytes_split_chart(const Sources& s) {
  static const std::pair<const char*, const char*> kParts[] = {
      {"codebook_share_bytes", "codebook share"},
      {"code_bytes", "PQ codes"},
      {"plain_weight_bytes", "int8/float weights"},
      {"scale_bias_bytes", "scales and biases"},
      {"metadata_bytes", "metadata"}};
  json c = chart("bytes-per-model", "Bytes per model", "bars",
                 "Each model's bytes in " + s.pack_path +
                     ": its share of the shared codebooks (in proportion to the sub-vectors it "
                     "encodes with each), PQ codeword indices, weights stored as values, per-row "
                     "scales with biases and code-block records, and records, op parameters and "
                     "names.");
  json series = json::array();
  for (const auto& [key, name] : kParts) {
    json values = json::array();
    for (const json& m : s.pack["models"]) values.push_back(m["size"]["split"][key]);
    series.push_back({{"name", name}, {"values", values}});
  }
  set_bars(c, model_names(s), series, true, false, "bytes");
  return c;
}

std::vector<json> layer_bytes_charts(const Sources& s) {
  std::vector<json> charts;
  for (const json& m : s.pack["models"]) {
    const std::string name = m["name"].get<std::string>();
    json categories = json::array();
    std::vector<std::string> encodings;  // per shown layer
    std::vector<uint64_t> bytes;
    int index = 0;
    for (const json& layer : m["layers"]) {
      ++index;
      if (!layer.contains("weight_encoding")) continue;
      const json& e = layer["weight_encoding"];
      std::string enc = e["kind"].get<std::string>();
      if (enc == "pq")
        enc +=
            " K=" + std::to_string(e["K"].get<int>()) + " D=" + std::to_string(e["D"].get<int>());
      categories.push_back(std::to_string(index) + " " + layer["type"].get<std::string>());
      encodings.push_back(enc);
      bytes.push_back(layer["weight_bytes"].get<uint64_t>());
    }
    if (encodings.empty()) continue;
    const std::set<std::string> kinds(encodings.begin(), encodings.end());
    json series = json::array();
    for (const std::string& k : kinds) {
      json values = json::array();
      for (size_t i = 0; i < encodings.size(); ++i)
        values.push_back(encodings[i] == k ? json(bytes[i]) : json(nullptr));
      series.push_back({{"name", k}, {"values", values}});
    }
    json c = chart("layers-" + name, "Layers of " + name, "bars",
                   "Bytes of each conv/dense layer's weights as stored (codes or values, scales, "
                   "bias), coloured by encoding; layers numbered in execution order.");
    set_bars(c, categories, series, true, false, "bytes");
    charts.push_back(c);
  }
  return charts;
}

json memory_chart(const Sources& s) {
  if (s.firmware.empty()) return nullptr;
  json categories = json::array(), flash = json::array(), ram = json::array();
  for (const json& fw : s.firmware) {
    categories.push_back(fw["label"]);
    flash.push_back(fw["flash_bytes"]);
    ram.push_back(fw["ram_bytes"]);
  }
  json c = chart("flash-ram", "Flash and RAM of the firmware images", "bars",
                 "From each image's ELF (flash: code, constants with the pack, initialised data; "
                 "RAM: data, the one shared arena, the measured stack) against a 256 KB part.");
  set_bars(c, categories,
           {{{"name", "flash"}, {"values", flash}}, {{"name", "RAM"}, {"values", ram}}}, false,
           false, "bytes");
  c["limit"] = {{"value", 262144}, {"label", "256 KB"}};
  return c;
}

json instructions_chart(const Sources& s) {
  const std::vector<json> shown = shown_firmware(s);
  if (shown.empty() && s.peer.is_null()) return nullptr;
  const std::vector<std::string> models = model_names(s);
  json series = json::array();
  for (const json& fw : shown) {
    json values = json::array();
    for (const std::string& m : models) {
      json v = nullptr;
      for (const json& r : fw["models"])
        if (r["name"] == m) v = r["instructions_per_inference"];
      values.push_back(v);
    }
    series.push_back({{"name", fw["label"]}, {"values", values}});
  }
  if (!s.peer.is_null()) {
    std::map<std::string, double> summed;
    for (const json& layer : s.peer["layers"])
      if (layer.value("board", "") == kM4Board)
        summed[layer["suite"].get<std::string>()] +=
            layer["instructions"]["cmsis_nn"].get<double>();
    json values = json::array();
    bool any = false;
    for (const std::string& m : models) {
      const auto it = summed.find(m);
      any |= it != summed.end();
      values.push_back(it != summed.end() ? json(it->second) : json(nullptr));
    }
    if (any) series.push_back({{"name", "CMSIS-NN int8, layers summed"}, {"values", values}});
  }
  json c = chart("instructions", "Instructions per inference (Cortex-M4, QEMU)", "bars",
                 "Instructions (not cycles: QEMU -icount counts instructions) per inference, from "
                 "the second round of switching in each image; CMSIS-NN's int8 kernels on the "
                 "same layers, summed, where the peer benchmark measured them.");
  set_bars(c, models, series, false, false, "instructions");
  return c;
}

std::vector<json> switch_charts(const Sources& s) {
  if (s.switch_bench.is_null()) return {};
  const json& host = s.switch_bench["host_measured"];
  const json& mcu = s.switch_bench["mcu_model"];
  const std::string pair =
      s.switch_bench["from"].get<std::string>() + " -> " + s.switch_bench["to"].get<std::string>();
  const json categories = {"switch", "switch + first inference"};
  json latency = chart("switch-latency", "Switching models: latency (" + pair + ")", "bars",
                       "Host, measured (medians): Session::select on the pack in memory vs "
                       "reading the model's pack from a file. MCU, modelled at the STM32F746's "
                       "clock: the switch in flash vs loading the model from an SD card over SPI.");
  set_bars(latency, categories,
           {{{"name", "host: in memory"},
             {"values", {host["in_memory"]["switch_s"], host["in_memory"]["switch_infer_s"]}}},
            {{"name", "host: from a file"},
             {"values", {host["file"]["switch_s"], host["file"]["switch_infer_s"]}}},
            {{"name", "MCU: in flash"}, {"values", mcu_pair(mcu, "in_flash_switch", "latency_s")}},
            {{"name", "MCU: from SD card"}, {"values", mcu_pair(mcu, "sd_switch", "latency_s")}}},
           false, true, "seconds (log)");
  json energy = chart("switch-energy", "Switching models: energy on the MCU (" + pair + ")", "bars",
                      "Modelled, not measured: instructions at the clock and active power, and the "
                      "SD card's read current (constants in the switch JSON).");
  set_bars(energy, categories,
           {{{"name", "in flash"}, {"values", mcu_pair(mcu, "in_flash_switch", "energy_j")}},
            {{"name", "from SD card"}, {"values", mcu_pair(mcu, "sd_switch", "energy_j")}}},
           false, true, "joules (log)");
  return {latency, energy};
}

std::vector<json> confusion_charts(const Sources& s) {
  std::vector<json> charts;
  // In the pack's model order, whatever order the evals were given in.
  std::vector<const Eval*> own = own_evals(s);
  const std::vector<std::string> order = model_names(s);
  auto rank = [&](const Eval* e) {
    return std::find(order.begin(), order.end(), e->model) - order.begin();
  };
  std::stable_sort(own.begin(), own.end(),
                   [&](const Eval* a, const Eval* b) { return rank(a) < rank(b); });
  for (const Eval* evaluated : own) {
    const Eval& e = *evaluated;
    const std::string& variant = e.variant;
    json c =
        chart("confusion-" + e.model, "Confusion: " + e.model + " (" + variant + ")", "heatmap",
              "Test split through the runtime: rows are the true class, columns the "
              "predicted one; " +
                  std::to_string(e.result["correct"].get<uint64_t>()) + " of " +
                  std::to_string(e.result["count"].get<uint64_t>()) + " correct.");
    c["rows"] = e.result["classes"];
    c["cols"] = e.result["classes"];
    c["values"] = e.result["confusion"];
    c["x_label"] = "predicted";
    c["y_label"] = "true class";
    charts.push_back(c);
  }
  return charts;
}

}  // namespace yono::report
