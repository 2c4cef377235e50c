#include "yono/compiler/ir/axis_gather.h"

#include "yono/compiler/error.h"

namespace yono::ir {
namespace {

std::vector<int64_t> strides_of(const Dims& d) {
  std::vector<int64_t> s(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

}  // namespace

AxisGatherAttrs pick_gather(const Dims& in, const std::vector<std::vector<int64_t>>& picks,
                            Dims out, std::string source) {
  if (picks.size() != in.size()) throw Error(source + ": one pick list per input axis needed");
  const std::vector<int64_t> stride = strides_of(in);
  AxisGatherAttrs a;
  a.dims = std::move(out);
  a.source = std::move(source);
  // Size-1 view axes add a constant: fold them into the next table so the
  // kernel's rank (and the pack's params) stay as small as the data needs.
  int64_t carry = 0;
  for (size_t k = 0; k < picks.size(); ++k) {
    for (int64_t p : picks[k])
      if (p < 0 || p >= in[k])
        throw Error(a.source + ": position " + std::to_string(p) + " outside axis " +
                    std::to_string(k) + " of " + dims_string(in));
    if (picks[k].size() == 1 && !(k + 1 == picks.size() && a.view.empty())) {
      carry += picks[k][0] * stride[k];
      continue;
    }
    std::vector<int64_t> table;
    for (int64_t p : picks[k]) table.push_back(p * stride[k] + carry);
    carry = 0;
    a.view.push_back(static_cast<int64_t>(picks[k].size()));
    a.offsets.push_back(std::move(table));
  }
  if (carry != 0)
    for (int64_t& v : a.offsets.back()) v += carry;
  if (a.view.empty()) {  // a 0-rank input
    a.view = {1};
    a.offsets = {{carry}};
  }
  return a;
}

AxisGatherAttrs transpose_gather(const Dims& in, const std::vector<int64_t>& perm,
                                 std::string source) {
  const std::vector<int64_t> stride = strides_of(in);
  AxisGatherAttrs a;
  a.source = std::move(source);
  for (size_t k = 0; k < perm.size(); ++k) {
    const auto axis = static_cast<size_t>(perm[k]);
    a.dims.push_back(in.at(axis));
    if (in[axis] == 1) continue;  // offset 0: nothing to iterate
    std::vector<int64_t> table;
    for (int64_t i = 0; i < in[axis]; ++i) table.push_back(i * stride[axis]);
    a.view.push_back(in[axis]);
    a.offsets.push_back(std::move(table));
  }
  if (a.view.empty()) {
    a.view = {1};
    a.offsets = {{0}};
  }
  return a;
}

std::vector<int64_t> flat_indices(const AxisGatherAttrs& a) {
  std::vector<int64_t> out = {0};
  for (const std::vector<int64_t>& table : a.offsets) {
    std::vector<int64_t> next;
    next.reserve(out.size() * table.size());
    for (int64_t base : out)
      for (int64_t v : table) next.push_back(base + v);
    out = std::move(next);
  }
  return out;
}

bool is_permutation(const AxisGatherAttrs& a, int64_t input_elements) {
  if (element_count(a.view) != input_elements) return false;
  std::vector<bool> seen(static_cast<size_t>(input_elements), false);
  for (int64_t i : flat_indices(a)) {
    if (i < 0 || i >= input_elements || seen[static_cast<size_t>(i)]) return false;
    seen[static_cast<size_t>(i)] = true;
  }
  return true;
}

}  // namespace yono::ir
