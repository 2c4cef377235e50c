// build(): the report's content from its sources, chart by chart.
#include "yono/compiler/report/report.h"

#include <filesystem>

#include "report_charts.h"
#include "report_sources.h"
#include "report_summary.h"

namespace yono::report {

nlohmann::json build(const Inputs& in) {
  const Sources s = load_sources(in);
  nlohmann::json charts = nlohmann::json::array();
  auto add = [&](const nlohmann::json& c) {
    if (!c.is_null()) charts.push_back(c);
  };
  add(accuracy_vs_ratio_chart(s));
  add(bytes_split_chart(s));
  add(memory_chart(s));
  add(instructions_chart(s));
  for (const nlohmann::json& c : switch_charts(s)) add(c);
  for (const nlohmann::json& c : confusion_charts(s)) add(c);
  for (const nlohmann::json& c : layer_bytes_charts(s)) add(c);
  const std::string title =
      in.title.empty() ? std::filesystem::path(in.pack).filename().string() : in.title;
  return {{"title", title}, {"summary", summary(s)}, {"charts", charts}, {"sources", s.files}};
}

}  // namespace yono::report
