// fit_flash_budget: the shrink ladder, then bytes spent by measured
// sensitivity (budget_search.h states the algorithm).
#include "yono/compiler/train/budget_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include "yono/compiler/error.h"
#include "yono/compiler/train/sensitivity.h"

namespace yono::train {
namespace {

constexpr double kSpendAbove = 0.005;         // a layer costing less alone keeps its encoding
constexpr size_t kSensitivitySamples = 1000;  // per model: ranks layers in about a minute

struct Candidate {
  CompressOptions options;
  CompressedModels compressed;
  uint64_t bytes = 0;
};

Candidate build(const std::vector<ir::Graph>& models, const CompressOptions& o,
                const PackWriteOptions& pack) {
  Candidate c{o, compress_models(models, o), 0};
  c.bytes = write_pack(c.compressed.models, c.compressed.codebooks, pack).size();
  return c;
}

struct LadderStep {
  std::string change;
  // Returns false when the step does not apply (already at or past it).
  std::function<bool(CompressOptions&)> apply;
};

std::vector<LadderStep> shrink_ladder() {
  std::vector<LadderStep> ladder;
  ladder.push_back({"f16 scales (--scale-dtype f16)", [](CompressOptions& o) {
                      if (o.scale_dtype != ir::ScaleDType::kF32) return false;
                      o.scale_dtype = ir::ScaleDType::kF16;
                      return true;
                    }});
  ladder.push_back({"f16 biases (--bias-dtype f16)", [](CompressOptions& o) {
                      if (o.bias_dtype != ir::FloatDType::kF32) return false;
                      o.bias_dtype = ir::FloatDType::kF16;
                      return true;
                    }});
  ladder.push_back({"f16 codebooks (--codebook-dtype f16)", [](CompressOptions& o) {
                      if (o.codebook_dtype != ir::CodebookDType::kF32) return false;
                      o.codebook_dtype = ir::CodebookDType::kF16;
                      return true;
                    }});
  ladder.push_back({"pointwise sub-vectors of 8 (--dim pointwise=8)", [](CompressOptions& o) {
                      auto it = o.dim.per_group.find(LayerGroup::kPointwise);
                      const uint32_t d = it != o.dim.per_group.end()
                                             ? it->second
                                             : o.dim.all.value_or(kDefaultPointwiseDim);
                      if (d >= 8) return false;
                      o.dim.per_group[LayerGroup::kPointwise] = 8;
                      return true;
                    }});
  for (uint32_t k : {128u, 64u, 32u, 16u}) {
    ladder.push_back({fmt::format("{} codewords (--codewords {})", k, k), [k](CompressOptions& o) {
                        const uint32_t now = o.codewords.all.value_or(kDefaultCodewords);
                        if (now <= k && o.codewords.per_group.empty()) return false;
                        o.codewords.all = k;
                        o.codewords.per_group.clear();
                        return true;
                      }});
  }
  ladder.push_back({"small layers quantized too (--keep-min-weights 0)", [](CompressOptions& o) {
                      if (o.keep_min_weights == 0) return false;
                      o.keep_min_weights = 0;
                      return true;
                    }});
  ladder.push_back({"kxk sub-vectors of two 3x3 kernels (--dim kxk=18)", [](CompressOptions& o) {
                      auto it = o.dim.per_group.find(LayerGroup::kKxk);
                      if (it != o.dim.per_group.end() && it->second >= 18) return false;
                      o.dim.per_group[LayerGroup::kKxk] = 18;
                      return true;
                    }});
  return ladder;
}

}  // namespace

BudgetSearch fit_flash_budget(const std::vector<ir::Graph>& models, const CompressOptions& base,
                              uint64_t budget, const PackWriteOptions& pack,
                              const std::vector<const data::Dataset*>& validation, int threads,
                              bool progress) {
  BudgetSearch result;
  Candidate best = build(models, base, pack);
  result.steps.push_back({"the options as given", best.bytes, best.bytes <= budget,
                          best.bytes <= budget ? "fits" : "over the budget"});
  for (const LadderStep& step : shrink_ladder()) {
    if (best.bytes <= budget) break;
    CompressOptions o = best.options;
    if (!step.apply(o)) continue;
    Candidate next = build(models, o, pack);
    const bool fits = next.bytes <= budget;
    result.steps.push_back({step.change, next.bytes, true,
                            fits ? "fits" : "still over the budget; the next step shrinks more"});
    best = std::move(next);
  }
  if (best.bytes > budget) {
    throw Error(
        fmt::format("--flash-budget {}: no configuration fits; the smallest reachable is {} bytes "
                    "({} codewords, every layer quantized, f16 codebooks and scales)",
                    budget, best.bytes, best.options.codewords.all.value_or(kDefaultCodewords)));
  }

  const bool any_data = std::any_of(validation.begin(), validation.end(),
                                    [](const data::Dataset* d) { return d != nullptr; });
  if (any_data) {
    if (progress) std::fprintf(stderr, "flash budget: measuring each layer's sensitivity\n");
    const SensitivityReport s =
        layer_sensitivity(best.compressed, models, validation, kSensitivitySamples, threads);
    std::vector<LayerSensitivity> order = s.layers;
    std::stable_sort(
        order.begin(), order.end(),
        [](const LayerSensitivity& a, const LayerSensitivity& b) { return a.drop > b.drop; });
    for (const LayerSensitivity& l : order) {
      if (l.drop < kSpendAbove) break;
      const std::string label = models[l.model].name + "/" + l.layer;
      const auto choice = std::find_if(
          best.compressed.choices.begin(), best.compressed.choices.end(),
          [&](const LayerChoice& c) { return c.model == l.model && c.layer == l.layer; });
      if (choice == best.compressed.choices.end() || choice->encoding != "pq") continue;
      CompressOptions o = best.options;
      std::string change;
      if (choice->dim == 9 && choice->weights % 9 == 0 && !o.layer_dims.count(label)) {
        o.layer_dims[label] = 3;
        change = "--layer-dim " + label + "=3";
      } else {
        o.layer_dims.erase(label);
        o.keep_layers.push_back(label);
        change = "--keep-layer " + label;
      }
      Candidate next = build(models, o, pack);
      const bool fits = next.bytes <= budget;
      result.steps.push_back(
          {change, next.bytes, fits,
           fmt::format("quantizing this layer alone costs {:.2f} pp on validation; {}",
                       100.0 * l.drop, fits ? "fits" : "would exceed the budget")});
      if (fits) best = std::move(next);
    }
  }
  result.options = best.options;
  result.compressed = std::move(best.compressed);
  result.bytes = best.bytes;
  return result;
}

namespace {

// The largest validation drop from float over the models with a task, and
// the model it belongs to.
std::pair<double, std::string> worst_drop(const FinetuneResult& r) {
  std::pair<double, std::string> worst{-1.0, ""};
  for (const FinetuneModelReport& m : r.models) {
    if (m.after_validation < 0 || m.float_validation < 0) continue;
    const double drop = m.float_validation - m.after_validation;
    if (worst.second.empty() || drop > worst.first) worst = {drop, m.model};
  }
  return worst;
}

}  // namespace

LossSearch meet_max_loss(const std::vector<ir::Graph>& models, const CompressOptions& base,
                         double max_loss, const PackWriteOptions& pack,
                         const std::vector<FinetuneTask>& tasks, const FinetuneOptions& options) {
  const bool any = std::any_of(tasks.begin(), tasks.end(), [](const FinetuneTask& t) {
    return t.train != nullptr && t.validation != nullptr;
  });
  if (!any)
    throw Error(
        "--max-loss needs a --task MODEL=TASK: accuracy is measured on its validation split");

  // Candidates, largest first: the options as given, then each ladder step.
  std::vector<std::pair<std::string, CompressOptions>> ladder = {{"the options as given", base}};
  for (const LadderStep& step : shrink_ladder()) {
    CompressOptions o = ladder.back().second;
    if (step.apply(o)) ladder.emplace_back(step.change, o);
  }

  LossSearch result;
  bool have = false;
  auto trial = [&](size_t i) {
    Candidate c = build(models, ladder[i].second, pack);
    FinetuneResult r = finetune(c.compressed, models, tasks, options);
    const auto [drop, model] = worst_drop(r);
    const bool meets = drop <= max_loss;
    result.steps.push_back(
        {ladder[i].first + (i > 0 ? " (and every step before it)" : ""), c.bytes, meets,
         fmt::format(
             "after fine-tuning the worst model ({}) is {:.2f} pp below float on validation; {}",
             model, 100.0 * drop, meets ? "meets the bound" : "misses it")});
    if (meets && (!have || c.bytes < result.bytes)) {
      result.options = ladder[i].second;
      result.result = std::move(r);
      result.bytes = c.bytes;
      have = true;
    }
    return std::make_pair(meets, drop);
  };

  const auto [first_meets, first_drop] = trial(0);
  if (!first_meets) {
    throw Error(fmt::format(
        "--max-loss {:.2f}: no configuration meets it; the best found (the options as given, {} "
        "bytes) loses {:.2f} pp on validation",
        100.0 * max_loss, result.steps.back().bytes, 100.0 * first_drop));
  }
  // The last candidate that meets the bound, assuming accuracy falls along
  // the ladder.
  size_t lo = 0, hi = ladder.size() - 1;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo + 1) / 2;
    if (trial(mid).first) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return result;
}

}  // namespace yono::train
