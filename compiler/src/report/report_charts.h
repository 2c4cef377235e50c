// Each chart of the report as data: what to draw, not how. report.js draws
// three kinds:
//   bars     {"categories": [...], "series": [{"name", "values": [number|null]}],
//             "stacked", "log", "y_label", "limit": {"value", "label"} (optional)}
//   scatter  {"points": [{"x", "y", "series", "label"}], "x_label", "y_label", "log_x"}
//   heatmap  {"rows": [...], "cols": [...], "values": [[...]], "x_label", "y_label"}
// Every chart also has "id", "title" and "note" (how to read it, where the
// numbers come from). A chart whose inputs were not given is left out.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "report_sources.h"

namespace yono::report {

// Accuracy drop from float32 against the whole pack's compression ratio, a
// series per model: the evaluated packs and, with a compress sweep, every
// mode and point of its ratio-vs-loss curve.
nlohmann::json accuracy_vs_ratio_chart(const Sources& s);

// Each model's bytes: its share of the codebooks, PQ codes, plain weights,
// scales and biases, metadata.
nlohmann::json bytes_split_chart(const Sources& s);

// One chart per model: bytes of every conv/dense layer by its encoding.
std::vector<nlohmann::json> layer_bytes_charts(const Sources& s);

// Flash and RAM of each firmware image against a 256 KB part.
nlohmann::json memory_chart(const Sources& s);

// Instructions per inference per model for each image, CMSIS-NN's layers
// summed where the peer benchmark measured them.
nlohmann::json instructions_chart(const Sources& s);

// Switching models: in memory vs from a file (host, measured) and in flash
// vs from an SD card (MCU, modelled); latency and energy.
std::vector<nlohmann::json> switch_charts(const Sources& s);

// The confusion matrix of every model evaluated on the report's pack.
std::vector<nlohmann::json> confusion_charts(const Sources& s);

}  // namespace yono::report
