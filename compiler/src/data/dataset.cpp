#include "yono/compiler/data/dataset.h"

#include <algorithm>
#include <random>

#include "yono/compiler/error.h"

namespace yono::data {

size_t Dataset::sample_numel() const {
  size_t n = 1;
  for (int64_t d : sample_dims) n *= static_cast<size_t>(d);
  return n;
}

Dataset select_samples(const Dataset& from, const std::vector<size_t>& indices) {
  Dataset out;
  out.sample_dims = from.sample_dims;
  out.class_names = from.class_names;
  const size_t numel = from.sample_numel();
  out.samples.reserve(indices.size() * numel);
  out.labels.reserve(indices.size());
  const bool with_sources = from.sources.size() == from.size();
  for (size_t i : indices) {
    if (i >= from.size()) throw Error("select_samples: index out of range");
    const float* s = from.sample(i);
    out.samples.insert(out.samples.end(), s, s + numel);
    out.labels.push_back(from.labels[i]);
    if (with_sources) out.sources.push_back(from.sources[i]);
  }
  return out;
}

void append_samples(Dataset& into, const Dataset& more) {
  if (into.size() == 0 && into.sample_dims.empty()) {
    into = more;
    return;
  }
  if (into.sample_dims != more.sample_dims) throw Error("append_samples: sample shapes differ");
  const bool with_sources =
      into.sources.size() == into.size() && more.sources.size() == more.size();
  into.samples.insert(into.samples.end(), more.samples.begin(), more.samples.end());
  into.labels.insert(into.labels.end(), more.labels.begin(), more.labels.end());
  if (with_sources) {
    into.sources.insert(into.sources.end(), more.sources.begin(), more.sources.end());
  } else {
    into.sources.clear();
  }
}

std::vector<size_t> seeded_permutation(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed);  // the engine's output sequence is fixed by the standard
  for (size_t i = n; i > 1; --i) {
    const size_t j = static_cast<size_t>(rng() % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

Dataset carve_validation(Dataset& train, size_t count, uint64_t seed) {
  if (count > train.size()) throw Error("carve_validation: more validation samples than training");
  std::vector<size_t> order = seeded_permutation(train.size(), seed);
  std::vector<size_t> validation(order.begin(), order.begin() + static_cast<long>(count));
  std::vector<size_t> rest(order.begin() + static_cast<long>(count), order.end());
  std::sort(validation.begin(), validation.end());
  std::sort(rest.begin(), rest.end());
  Dataset carved = select_samples(train, validation);
  train = select_samples(train, rest);
  return carved;
}

}  // namespace yono::data
