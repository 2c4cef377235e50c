// The report's compact table: one row per model of the pack -- accuracy of
// every evaluated pack, the model's bytes and ratios, its arena, its
// instructions per inference in each measured image -- then one note line per
// pack, image and switch measurement. The page and `./run demo`'s terminal
// print the same cells.
#pragma once

#include <nlohmann/json.hpp>

#include "report_sources.h"

namespace yono::report {

// {"columns": [...], "rows": [[cell, ...], ...], "notes": [line, ...]}; cells
// are formatted strings ("-" where a value was not measured).
nlohmann::json summary(const Sources& s);

}  // namespace yono::report
