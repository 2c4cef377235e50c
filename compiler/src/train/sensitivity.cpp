#include "yono/compiler/train/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <variant>

#include "yono/compiler/error.h"
#include "yono/compiler/train/trainer.h"

namespace yono::train {
namespace {

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k <= j; ++k) r[order[k]] = average;
    i = j + 1;
  }
  return r;
}

const char* encoding_name(const ir::Encoding& e) {
  if (std::holds_alternative<ir::PqEncoding>(e)) return "pq";
  if (std::holds_alternative<ir::Int8Encoding>(e)) return "int8";
  return "f32";
}

data::Dataset first_samples(const data::Dataset& d, size_t max_samples) {
  if (max_samples == 0 || d.size() <= max_samples) return d;
  std::vector<size_t> idx(max_samples);
  std::iota(idx.begin(), idx.end(), size_t{0});
  return data::select_samples(d, idx);
}

}  // namespace

double rank_correlation(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) return 0;
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double mean = (n - 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  return saa == 0 || sbb == 0 ? 0 : sab / std::sqrt(saa * sbb);
}

SensitivityReport layer_sensitivity(const CompressedModels& c,
                                    const std::vector<ir::Graph>& originals,
                                    const std::vector<const data::Dataset*>& validation,
                                    size_t max_samples, int threads) {
  if (c.models.size() != originals.size() || c.models.size() != validation.size())
    throw Error("sensitivity needs one float model and one data set entry per compressed model");
  SensitivityReport r;
  for (size_t m = 0; m < c.models.size(); ++m) {
    if (validation[m] == nullptr) continue;
    const ir::Graph& original = originals[m];
    const ir::Graph& packed = c.models[m];
    if (packed.tensors.size() != original.tensors.size())
      throw Error("model '" + packed.name + "': the float model is not the one compressed");
    const data::Dataset d = first_samples(*validation[m], max_samples);
    ModelSensitivity ms;
    ms.model = packed.name;
    ms.float_accuracy = evaluate_float(original, d, threads).accuracy;
    std::vector<double> proxy, drop;
    for (const ir::Op& op : packed.ops) {
      const bool weighted = std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
                            std::holds_alternative<ir::DenseAttrs>(op.attrs);
      if (!weighted || op.inputs.size() < 2) continue;
      const auto w = static_cast<size_t>(op.inputs[1]);
      const ir::Tensor& t = packed.tensors[w];
      if (!t.is_constant || std::holds_alternative<std::monostate>(t.encoding)) continue;
      LayerSensitivity l;
      l.model = m;
      l.layer = op.name;
      l.encoding = encoding_name(t.encoding);
      l.weights = static_cast<int64_t>(t.data.size());
      double err = 0;
      for (size_t i = 0; i < t.data.size(); ++i)
        err += std::fabs(static_cast<double>(original.tensors[w].data[i]) - t.data[i]);
      l.error_per_weight = err / static_cast<double>(std::max<size_t>(1, t.data.size()));
      ir::Graph one = original;
      one.tensors[w].data = t.data;
      l.accuracy = evaluate_float(one, d, threads).accuracy;
      l.drop = ms.float_accuracy - l.accuracy;
      proxy.push_back(l.error_per_weight);
      drop.push_back(l.drop);
      r.layers.push_back(std::move(l));
    }
    ms.proxy_rank_correlation = rank_correlation(proxy, drop);
    r.models.push_back(std::move(ms));
  }
  return r;
}

}  // namespace yono::train
