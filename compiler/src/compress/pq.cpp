// YONO's product quantization: layers grouped by kernel shape share one
// codebook across all models (or one per model, the baseline), learned on
// their pooled, per-row-normalised sub-vectors.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "encoders.h"
#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/error.h"

namespace yono::compress {
namespace {

struct CodebookPlan {
  std::string name;
  LayerGroup group = LayerGroup::kPointwise;
  uint32_t dim = 0, k = 0;
  uint32_t layer_dim = 0;      // the --layer-dim D it was made for; 0 for a group's codebook
  int frozen = -1;             // index into options.frozen_codebooks; -1 = learn it
  std::vector<size_t> layers;  // indices into the layer list, in model then op order
};

// The kxk group's default D: kh * kw of its most common kernel (ties go to
// the smaller kernel), so a sub-vector is one kernel slice for most layers.
uint32_t common_kernel(const std::vector<Layer>& layers) {
  std::map<uint32_t, size_t> count;
  for (const Layer& l : layers) {
    if (!l.keep && l.group == LayerGroup::kKxk) ++count[l.kernel];
  }
  uint32_t best = 9;
  size_t best_n = 0;
  for (const auto& [kernel, n] : count) {
    if (n > best_n) best = kernel, best_n = n;
  }
  return best;
}

// The frozen codebook named `name`, or -1.
int find_frozen(const CompressOptions& o, const std::string& name) {
  for (size_t i = 0; i < o.frozen_codebooks.size(); ++i)
    if (o.frozen_codebooks[i].name == name) return static_cast<int>(i);
  return -1;
}

// Frozen codebooks fix a group's D: that of the codebook named after it.
uint32_t frozen_dim(const CompressOptions& o, const std::string& name, uint32_t fallback) {
  const int i = find_frozen(o, name);
  return i < 0 ? fallback : o.frozen_codebooks[static_cast<size_t>(i)].dim;
}

// Binds a plan to the frozen codebook of its name, taking its K; a plan with
// no such codebook, or a --dim that disagrees with it, cannot be served.
void bind_frozen(CodebookPlan& p, const Layer& first, const std::vector<ir::Graph>& models,
                 const CompressOptions& o) {
  p.frozen = find_frozen(o, p.name);
  if (p.frozen < 0) {
    std::string names;
    for (const ir::Codebook& c : o.frozen_codebooks)
      names += (names.empty() ? "" : ", ") + c.name + " (D " + std::to_string(c.dim) + ")";
    throw Error(fmt::format(
        "--codebook {}: layer '{}' of model {} needs codebook {} (D = {}), which that pack does "
        "not hold (it has: {}); keep the layer (--keep-layer) or give it a D the pack has "
        "(--layer-dim)",
        o.frozen_source, first.name, models[first.model].name, p.name, p.dim, names));
  }
  const ir::Codebook& c = o.frozen_codebooks[static_cast<size_t>(p.frozen)];
  if (c.dim != p.dim)
    throw Error(fmt::format("--codebook {}: codebook {} has D = {}, not the {} asked for",
                            o.frozen_source, p.name, c.dim, p.dim));
  p.k = c.codeword_count;
}

uint32_t pick(const GroupValue& v, LayerGroup g, uint32_t fallback) {
  const auto it = v.per_group.find(g);
  if (it != v.per_group.end()) return it->second;
  return v.all.value_or(fallback);
}

std::vector<CodebookPlan> plan_codebooks(const std::vector<Layer>& layers,
                                         const std::vector<ir::Graph>& models,
                                         const CompressOptions& o) {
  std::vector<CodebookPlan> plans;
  // (model or 0, group or -1, --layer-dim D or 0) -> plan
  std::map<std::tuple<size_t, int, uint32_t>, size_t> index;
  const bool frozen = !o.frozen_codebooks.empty();
  const uint32_t kxk_dim =
      frozen ? frozen_dim(o, "shared/kxk", common_kernel(layers)) : common_kernel(layers);
  const uint32_t pointwise_dim =
      frozen ? frozen_dim(o, "shared/pointwise", kDefaultPointwiseDim) : kDefaultPointwiseDim;
  const uint32_t shared_dim =
      frozen ? frozen_dim(o, "shared", kDefaultSharedDim) : kDefaultSharedDim;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    if (l.keep) continue;
    const bool shared = o.sharing == CodebookSharing::kShared;
    const LayerGroup g = shared ? LayerGroup::kPointwise : l.group;
    const size_t owner = o.sharing == CodebookSharing::kPerModel ? l.model : 0;
    const uint32_t group_dim =
        shared ? o.dim.all.value_or(shared_dim)
               : pick(o.dim, g, g == LayerGroup::kKxk ? kxk_dim : pointwise_dim);
    // A --layer-dim equal to the group's D joins the group's codebook.
    const uint32_t own_dim = l.dim == group_dim ? 0 : l.dim;
    const auto key = std::make_tuple(owner, shared ? -1 : static_cast<int>(g), own_dim);
    auto [it, added] = index.emplace(key, plans.size());
    if (added) {
      CodebookPlan p;
      p.group = g;
      if (shared) {
        p.name = "shared";
        p.dim = group_dim;
        p.k = o.codewords.all.value_or(kDefaultCodewords);
      } else {
        const std::string prefix =
            o.sharing == CodebookSharing::kPerModel ? models[l.model].name : "shared";
        p.name = prefix + "/" + layer_group_name(g);
        p.dim = group_dim;
        p.k = pick(o.codewords, g, kDefaultCodewords);
      }
      if (own_dim != 0) {  // its own D: a codebook apart, named after it
        p.name += "/d" + std::to_string(own_dim);
        p.dim = own_dim;
        p.layer_dim = own_dim;
        const auto k = o.codewords.per_layer_dim.find({g, own_dim});
        if (k != o.codewords.per_layer_dim.end()) p.k = k->second;
      }
      if (frozen) bind_frozen(p, l, models, o);
      plans.push_back(std::move(p));
    }
    plans[it->second].layers.push_back(i);
  }
  // K for a --layer-dim codebook that no layer creates is a mistake, not a no-op.
  // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
  for (const auto& entry : o.codewords.per_layer_dim) {
    const auto& key = entry.first;
    const auto k = entry.second;
    const bool made = std::any_of(plans.begin(), plans.end(), [&](const CodebookPlan& p) {
      return p.group == key.first && p.layer_dim == key.second;
    });
    if (!made) {
      throw Error(fmt::format(
          "--codewords {}/d{}={}: no --layer-dim gives a {} layer D = {}, so there is no such "
          "codebook",
          layer_group_name(key.first), key.second, k, layer_group_name(key.first), key.second));
    }
  }
  // A D longer than every row would only encode zero padding.
  for (const CodebookPlan& p : plans) {
    const Layer* longest = nullptr;
    for (size_t i : p.layers) {
      if (longest == nullptr || layers[i].row_len > longest->row_len) longest = &layers[i];
    }
    if (longest != nullptr && p.dim > longest->row_len) {
      throw Error(fmt::format(
          "--dim {} for codebook {} is longer than every row it would encode; the longest is "
          "{} weights, in layer '{}' of model {}",
          p.dim, p.name, longest->row_len, longest->name, models[longest->model].name));
    }
  }
  return plans;
}

void encode_plan(const CodebookPlan& plan, std::vector<ir::Graph>& models,
                 const std::vector<Layer>& layers, const CompressOptions& o,
                 CompressedModels& out) {
  SubvectorSet set;
  set.dim = plan.dim;
  std::vector<RowSubvectors> parts;
  for (size_t i : plan.layers) {
    const Layer& l = layers[i];
    const ir::Tensor& t = models[l.model].tensors[static_cast<size_t>(l.tensor)];
    parts.push_back(split_rows(t.data, l.rows, l.row_len, plan.dim));
    const RowSubvectors& r = parts.back();
    set.vectors.insert(set.vectors.end(), r.vectors.begin(), r.vectors.end());
    const uint32_t tail = l.row_len - (r.subvectors_per_row - 1) * plan.dim;
    for (uint32_t row = 0; row < r.rows; ++row) {
      set.valid.insert(set.valid.end(), r.subvectors_per_row - 1, plan.dim);
      set.valid.push_back(tail);
    }
  }
  std::vector<uint32_t> codes;
  int cb_index = plan.frozen;
  if (plan.frozen >= 0) {  // out.codebooks already holds the frozen list
    codes.assign(set.valid.size(), 0);
    const ir::Codebook& c = out.codebooks[static_cast<size_t>(plan.frozen)];
    assign_codes(set, c.centroids, c.codeword_count, codes);
  } else {
    CodebookFit fit = learn_codebook(set.vectors, plan.dim, plan.k, o.seed, o.iterations);
    for (const std::string& w : fit.warnings) out.warnings.push_back(plan.name + ": " + w);
    cb_index = static_cast<int>(out.codebooks.size());
    out.codebooks.push_back(
        finish_codebook(plan.name, std::move(fit), set, o.codebook_dtype, codes));
  }
  const ir::Codebook& cb = out.codebooks[static_cast<size_t>(cb_index)];

  size_t first = 0;
  for (size_t p = 0; p < plan.layers.size(); ++p) {
    const Layer& l = layers[plan.layers[p]];
    const RowSubvectors& r = parts[p];
    ir::PqEncoding enc;
    enc.codebook = cb_index;
    const size_t n = static_cast<size_t>(r.rows) * r.subvectors_per_row;
    enc.codes.assign(codes.begin() + static_cast<std::ptrdiff_t>(first),
                     codes.begin() + static_cast<std::ptrdiff_t>(first + n));
    first += n;
    enc.scales = r.scales;
    ir::Tensor& t = models[l.model].tensors[static_cast<size_t>(l.tensor)];
    t.data = reconstruct_rows(cb.centroids, cb.dim, enc.codes, enc.scales, l.rows, l.row_len);
    t.encoding = std::move(enc);
  }
}

}  // namespace

void encode_pq(std::vector<ir::Graph>& models, const std::vector<Layer>& layers,
               const CompressOptions& o, CompressedModels& out) {
  // Every frozen codebook is kept, used or not, at its base index.
  out.codebooks = o.frozen_codebooks;
  for (const CodebookPlan& plan : plan_codebooks(layers, models, o)) {
    encode_plan(plan, models, layers, o, out);
  }
}

}  // namespace yono::compress
