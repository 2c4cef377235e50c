// `yono report`: one self-contained HTML page about a pack and the
// measurements made around it. The report measures nothing itself: it reads
// the pack (as `yono inspect` describes it) and the JSON the measuring
// commands wrote -- `yono eval --json`, `yono bench mcu`, `yono bench
// switch`, `./run bench-peer`, bench/compress-sweep -- and draws them with D3
// (Debian's libjs-d3, inlined into the page so it views offline).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace yono::report {

struct Inputs {
  std::string pack;                // the pack the report is about
  std::vector<std::string> evals;  // `yono eval --json` of this or other packs of the same models
  std::vector<std::string> bench;  // bench JSON of any of the kinds above, told apart by content
  std::string title;               // default: the pack's file name
};

// Reads every input and returns the report's content: {"title", "summary":
// {"columns", "rows", "notes"}, "charts": [...], "sources": [...]}. A chart is
// {"id", "title", "kind": "bars" | "scatter" | "heatmap", ...} (report_charts.h).
// Throws yono::Error naming the file when an input is missing, is not JSON,
// or is not one of the kinds above.
nlohmann::json build(const Inputs& in);

// The page: the content as inline JSON, D3 and the drawing script inline.
// Throws yono::Error when D3 cannot be read (report_page.cpp says where from).
std::string page(const nlohmann::json& report);

// The summary as a fixed-width text table with its notes, for terminals.
std::string summary_text(const nlohmann::json& report);

}  // namespace yono::report
