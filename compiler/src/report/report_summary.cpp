#include "report_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "yono/compiler/report/report.h"

namespace yono::report {
namespace {

using nlohmann::json;

// Evaluated variants in the column order: uncompressed packs first, then the
// report's pack, then the rest as given.
std::vector<std::string> variants(const Sources& s) {
  std::vector<std::string> order;
  auto add = [&](const std::string& v) {
    if (std::find(order.begin(), order.end(), v) == order.end()) order.push_back(v);
  };
  for (const Eval& e : s.evals)
    if (e.pack_ratio_vs_f32 <= 1.0) add(e.variant);
  for (const Eval* e : own_evals(s)) add(e->variant);
  for (const Eval& e : s.evals) add(e.variant);
  return order;
}

// "M4 instr zoo" for the image labelled "zoo-mps2-an386" on that board.
std::string instructions_column(const json& fw) {
  std::string label = fw["label"].get<std::string>();
  const std::string board = "-" + fw.value("board", std::string("?"));
  if (label.size() > board.size() &&
      label.compare(label.size() - board.size(), board.size(), board) == 0)
    label.erase(label.size() - board.size());
  return "M4 instr " + label;
}

std::string seconds(double s) {
  if (s < 1e-6) return fmt::format("{:.0f} ns", s * 1e9);
  if (s < 1e-3) return fmt::format("{:.1f} us", s * 1e6);
  if (s < 1) return fmt::format("{:.1f} ms", s * 1e3);
  return fmt::format("{:.2f} s", s);
}

}  // namespace

json summary(const Sources& s) {
  const std::vector<std::string> evaluated = variants(s);
  json columns = {"model"};
  for (const std::string& v : evaluated) columns.push_back(v + " %");
  // Ratios count the model's share of the codebooks with its own bytes.
  for (const char* c : {"own B", "codebook share B", "vs f32", "vs int8", "arena B"})
    columns.push_back(c);
  std::vector<json> images;
  for (const json& fw : s.firmware)
    if (fw.value("board", "") == kM4Board) images.push_back(fw);
  for (const json& fw : images) columns.push_back(instructions_column(fw));

  json rows = json::array();
  for (const json& m : s.pack["models"]) {
    const std::string name = m["name"].get<std::string>();
    json row = {name};
    for (const std::string& v : evaluated) {
      std::string cell = "-";
      for (const Eval& e : s.evals)
        if (e.variant == v && e.model == name)
          cell = fmt::format("{:.2f}", 100.0 * e.result["accuracy"].get<double>());
      row.push_back(cell);
    }
    const json& size = m["size"];
    const double share = size["split"]["codebook_share_bytes"].get<double>();
    const double with_share = size["bytes"].get<double>() + share;
    row.push_back(std::to_string(size["bytes"].get<uint64_t>()));
    row.push_back(fmt::format("{:.0f}", share));
    row.push_back(fmt::format("{:.2f}x", size["bytes_if_f32"].get<double>() / with_share));
    row.push_back(fmt::format("{:.2f}x", size["bytes_if_int8"].get<double>() / with_share));
    row.push_back(std::to_string(m["arena_bytes"].get<uint64_t>()));
    for (const json& fw : images) {
      std::string cell = "-";
      for (const json& r : fw["models"])
        if (r["name"] == name)
          cell = std::to_string(r["instructions_per_inference"].get<int64_t>());
      row.push_back(cell);
    }
    rows.push_back(row);
  }

  json notes = json::array();
  const json& size = s.pack["size"];
  notes.push_back(
      fmt::format("pack {}: {} B, {:.2f}x vs float32 ({} B), {:.2f}x vs int8 ({} B); "
                  "shared codebooks counted once",
                  s.pack_path, size["bytes"].get<uint64_t>(), size["ratio_vs_f32"].get<double>(),
                  size["bytes_if_f32"].get<uint64_t>(), size["ratio_vs_int8"].get<double>(),
                  size["bytes_if_int8"].get<uint64_t>()));
  for (const json& fw : s.firmware) {
    int64_t lo = INT64_MAX, hi = 0;
    for (const json& r : fw["models"]) {
      lo = std::min(lo, r["instructions_per_switch"].get<int64_t>());
      hi = std::max(hi, r["instructions_per_switch"].get<int64_t>());
    }
    const std::string range = lo == hi ? std::to_string(lo) : fmt::format("{}-{}", lo, hi);
    notes.push_back(fmt::format("image {} ({}): flash {} B, RAM {} B, switch {} instructions",
                                fw["label"].get<std::string>(), fw.value("board", "?"),
                                fw["flash_bytes"].get<uint64_t>(), fw["ram_bytes"].get<uint64_t>(),
                                range));
  }
  if (!s.switch_bench.is_null()) {
    const json& sw = s.switch_bench;
    const json& mcu = sw["mcu_model"];
    notes.push_back(fmt::format(
        "switch {} -> {}: on this host (medians) {} in memory vs {} from a file; modelled MCU: {} "
        "in flash vs {} from an SD card",
        sw["from"].get<std::string>(), sw["to"].get<std::string>(),
        seconds(sw["host_measured"]["in_memory"]["switch_s"].get<double>()),
        seconds(sw["host_measured"]["file"]["switch_s"].get<double>()),
        seconds(mcu["in_flash_switch"]["latency_s"].get<double>()),
        seconds(mcu["sd_switch"]["latency_s"].get<double>())));
  }
  return {{"columns", columns}, {"rows", rows}, {"notes", notes}};
}

std::string summary_text(const json& report) {
  const json& t = report["summary"];
  std::vector<size_t> width;
  for (const json& c : t["columns"]) width.push_back(c.get<std::string>().size());
  for (const json& row : t["rows"])
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].get<std::string>().size());
  auto line = [&](const json& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size() && i < width.size(); ++i) {
      const std::string cell = cells[i].get<std::string>();
      out +=
          i == 0 ? fmt::format("{:<{}}", cell, width[i]) : fmt::format("  {:>{}}", cell, width[i]);
    }
    return out + "\n";
  };
  std::string text = line(t["columns"]);
  for (const json& row : t["rows"]) text += line(row);
  for (const json& note : t["notes"]) text += note.get<std::string>() + "\n";
  return text;
}

}  // namespace yono::report
