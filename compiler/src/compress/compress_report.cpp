#include "yono/compiler/compress/compress_report.h"

#include <cmath>

#include <fmt/format.h>

#include "yono/compiler/pack/pack_sizes.h"

namespace yono {
namespace {

using nlohmann::json;

// -1 (not measured) and NaN become null rather than a number someone could plot.
json measured(double a) {
  return a < 0 || std::isnan(a) ? json(nullptr) : json(a);
}

std::string percent(double a) {
  return a < 0 ? "-" : fmt::format("{:.2f}", 100.0 * a);
}

double ratio(uint64_t num, uint64_t den) {
  return den ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

uint64_t total_float32(const CompressReport& r) {
  uint64_t total = 0;
  for (const ModelOutcome& m : r.models) total += m.float32_bytes;
  return total;
}

}  // namespace

uint64_t float32_bytes(const ir::Graph& g) {
  return static_cast<uint64_t>(ir::parameter_count(g)) * sizeof(float);
}

void add_pack_sizes(CompressReport& report, const Pack& pack) {
  report.pack_bytes = pack.size();
  // By name: a grown pack holds the report's models after the base's.
  for (ModelOutcome& o : report.models) {
    uint32_t m = 0;
    if (pack.find_model(o.name.c_str(), &m) == Status::kOk)
      o.own_bytes = model_sizes(pack, m).bytes;
  }
}

json report_json(const CompressReport& r, const CompressedModels& c) {
  const uint64_t f32 = total_float32(r);
  json j = {{"pack", r.pack_file},  {"pack_bytes", r.pack_bytes},
            {"float32_bytes", f32}, {"ratio_vs_float32", ratio(f32, r.pack_bytes)},
            {"command", r.command}, {"accuracy_split", "validation"}};
  json models = json::array();
  for (size_t m = 0; m < r.models.size(); ++m) {
    const ModelOutcome& o = r.models[m];
    json layers = json::array();
    for (const LayerChoice& l : c.choices) {
      if (l.model != m) continue;
      json layer = {{"layer", l.layer},
                    {"weights", l.weights},
                    {"encoding", l.encoding},
                    {"reason", l.reason}};
      if (l.encoding == "pq") {
        layer["codebook"] = l.codebook;
        layer["D"] = l.dim;
        layer["K"] = l.codewords;
      }
      layers.push_back(layer);
    }
    models.push_back({{"name", o.name},
                      {"file", o.file},
                      {"task", o.task.empty() ? json(nullptr) : json(o.task)},
                      {"float32_bytes", o.float32_bytes},
                      {"own_bytes", o.own_bytes},
                      {"float_validation", measured(o.float_validation)},
                      {"compressed_validation", measured(o.compressed_validation)},
                      {"finetuned_validation", measured(o.finetuned_validation)},
                      {"float_validation_loss", measured(o.float_validation_loss)},
                      {"compressed_validation_loss", measured(o.compressed_validation_loss)},
                      {"finetuned_validation_loss", measured(o.finetuned_validation_loss)},
                      {"layers", layers}});
  }
  j["models"] = models;
  json codebooks = json::array();
  for (const ir::Codebook& cb : c.codebooks)
    codebooks.push_back({{"name", cb.name}, {"K", cb.codeword_count}, {"D", cb.dim}});
  j["codebooks"] = codebooks;
  if (r.finetuned) {
    const FinetuneSummary& f = r.finetune;
    j["finetune"] = {{"mode", f.mode},      {"epochs", f.epochs},
                     {"batch", f.batch},    {"lr", f.lr},
                     {"seed", f.seed},      {"threads", f.threads},
                     {"steps", f.steps},    {"best_epoch", f.best_epoch},
                     {"seconds", f.seconds}};
  }
  if (!r.search_goal.empty()) {
    json steps = json::array();
    for (const SearchStep& s : r.search)
      steps.push_back(
          {{"change", s.change}, {"bytes", s.bytes}, {"accepted", s.accepted}, {"why", s.why}});
    j["search"] = {{"goal", r.search_goal}, {"steps", steps}};
  }
  j["warnings"] = c.warnings;
  return j;
}

std::string report_table(const CompressReport& r, const CompressedModels& c) {
  std::string out;
  if (!r.search_goal.empty()) {
    out += "search " + r.search_goal + ":\n";
    for (const SearchStep& s : r.search)
      out += fmt::format("  {:<8} {:>8} B  {} ({})\n", s.accepted ? "taken" : "rejected", s.bytes,
                         s.change, s.why);
  }
  out +=
      fmt::format("{:<16} {:>4} {:>4} {:>4} {:>9} {:>9} {:>7}  {:>7} {:>7} {:>7}\n", "model", "pq",
                  "int8", "f32", "float32 B", "own B", "ratio", "float%", "quant%", "tuned%");
  for (size_t m = 0; m < r.models.size(); ++m) {
    const ModelOutcome& o = r.models[m];
    int pq = 0, int8 = 0, f32 = 0;
    for (const LayerChoice& l : c.choices) {
      if (l.model != m) continue;
      (l.encoding == "pq" ? pq : l.encoding == "int8" ? int8 : f32) += 1;
    }
    out += fmt::format("{:<16} {:>4} {:>4} {:>4} {:>9} {:>9} {:>6.2f}x  {:>7} {:>7} {:>7}\n",
                       o.name, pq, int8, f32, o.float32_bytes, o.own_bytes,
                       ratio(o.float32_bytes, o.own_bytes), percent(o.float_validation),
                       percent(o.compressed_validation), percent(o.finetuned_validation));
  }
  if (r.finetuned) {
    const FinetuneSummary& f = r.finetune;
    out += fmt::format("fine-tuned ({}) {} steps in {:.0f} s", f.mode, f.steps, f.seconds);
    out += f.best_epoch > 0 ? fmt::format(", kept epoch {} of {}\n", f.best_epoch, f.epochs) : "\n";
  }
  const uint64_t f32 = total_float32(r);
  out += fmt::format("pack {}: {} bytes ({} codebooks shared), {:.2f}x smaller than float32 ({} B)",
                     r.pack_file, r.pack_bytes, c.codebooks.size(), ratio(f32, r.pack_bytes), f32);
  out += r.models.empty() || r.models[0].float_validation < 0 ? "\n"
                                                              : "; accuracy on validation splits\n";
  return out;
}

}  // namespace yono
