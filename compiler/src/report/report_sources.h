// The report's inputs, read and sorted by kind. Bench JSON is told apart by
// its content, so `--bench` takes the files in any order:
//   mcu     `yono bench mcu`           {"firmware": [...]}
//   switch  `yono bench switch --json` {"host_measured": ..., "mcu_model": ...}
//   peer    `./run bench-peer`         {"layers": [{"instructions": {"cmsis_nn": ...}}]}
//   sweep   bench/compress-sweep       [{"name", "test_accuracy", "report"}, ...]
//           (or, adopted into docs/bench/, {"runs": [...], "command", ...})
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "yono/compiler/report/report.h"

namespace yono::report {

// QEMU's Cortex-M4 board: the instruction counts the summary and charts use
// when several boards were measured (M7 counts differ by under 1%).
constexpr const char* kM4Board = "mps2-an386";

// One `yono eval --json` result with what it was measured on.
struct Eval {
  std::string source;            // the eval JSON's path
  std::string model;             // model name in the pack ("task" for older files)
  std::string variant;           // the evaluated pack's file stem, e.g. "zoo-i8"
  std::string file;              // the evaluated file, canonical
  double pack_ratio_vs_f32 = 0;  // the whole evaluated pack against float32
  nlohmann::json result;         // accuracy, classes, confusion, ...
};

struct Sources {
  std::string pack_path;
  std::string pack_file;  // canonical, to find the evals of this pack
  nlohmann::json pack;    // describe_pack of the report's pack
  std::vector<Eval> evals;
  std::vector<nlohmann::json> firmware;  // every "firmware" entry of every mcu file
  nlohmann::json switch_bench;           // null when none was given
  nlohmann::json peer;                   // null when none was given
  nlohmann::json sweep;                  // null when none was given
  std::vector<std::string> files;        // every input, for the page's list of sources
};

// The evals of the report's own pack.
std::vector<const Eval*> own_evals(const Sources& s);

// Throws yono::Error "<file>: <problem>" for a missing, unreadable or
// unrecognised input.
Sources load_sources(const Inputs& in);

}  // namespace yono::report
