#include "shape_ops.h"

#include <algorithm>

namespace yono::onnx_import {

int64_t normalise_axis(const Importer& imp, const onnx::NodeProto& n, int64_t axis, size_t rank) {
  auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r)
    imp.fail(n, "axis " + std::to_string(axis) + " out of range for rank " + std::to_string(r));
  return axis < 0 ? axis + r : axis;
}

void check_gather_positions(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& dims) {
  int64_t sum = 0;
  for (int64_t d : dims) {
    if (d < 0 || d > kMaxGatherPositions - sum)
      imp.fail(n, "moving data of shape " + ir::dims_string(dims) + " needs more than " +
                      std::to_string(kMaxGatherPositions) + " index positions");
    sum += d;
  }
}

std::vector<int64_t> transpose_perm(const Importer& imp, const onnx::NodeProto& n, size_t rank) {
  std::vector<int64_t> perm = imp.attr_ints(n, "perm");
  if (perm.empty())
    for (size_t i = rank; i-- > 0;) perm.push_back(static_cast<int64_t>(i));
  if (perm.size() != rank) imp.fail(n, "perm does not match the input's rank");
  std::vector<bool> seen(rank, false);
  for (int64_t& p : perm) {
    p = normalise_axis(imp, n, p, rank);
    if (seen[static_cast<size_t>(p)]) imp.fail(n, "perm repeats axis " + std::to_string(p));
    seen[static_cast<size_t>(p)] = true;
  }
  return perm;
}

std::vector<std::vector<int64_t>> slice_positions(const Importer& imp, const onnx::NodeProto& n,
                                                  const ir::Dims& in) {
  std::vector<int64_t> starts = imp.constant_ints(n, 1), ends = imp.constant_ints(n, 2);
  std::vector<int64_t> axes, steps(starts.size(), 1);
  if (imp.has_input(n, 3)) {
    axes = imp.constant_ints(n, 3);
  } else {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (imp.has_input(n, 4)) steps = imp.constant_ints(n, 4);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    imp.fail(n, "starts, ends, axes and steps differ in length");
  check_gather_positions(imp, n, in);
  std::vector<std::vector<int64_t>> picks;
  for (int64_t d : in) {
    picks.emplace_back();
    for (int64_t i = 0; i < d; ++i) picks.back().push_back(i);
  }
  std::vector<bool> seen(in.size(), false);
  for (size_t i = 0; i < starts.size(); ++i) {
    const auto ax = static_cast<size_t>(normalise_axis(imp, n, axes[i], in.size()));
    if (seen[ax]) imp.fail(n, "axis " + std::to_string(axes[i]) + " is sliced twice");
    seen[ax] = true;
    const int64_t len = in[ax], step = steps[i];
    int64_t s = starts[i], e = ends[i];
    if (step == 0) imp.fail(n, "a step of 0");
    if (s < 0) s += len;
    if (e < 0) e += len;
    std::vector<int64_t>& out = picks[ax];
    out.clear();
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, len);
      e = std::clamp<int64_t>(e, 0, len);
      for (int64_t k = s; k < e; k += step) out.push_back(k);
    } else {
      s = std::clamp<int64_t>(s, -1, len - 1);
      e = std::clamp<int64_t>(e, -1, len - 1);
      for (int64_t k = s; k > e; k += step) out.push_back(k);
    }
  }
  return picks;
}

std::vector<int64_t> axes_of(const Importer& imp, const onnx::NodeProto& n, int input_since) {
  if (imp.opset() < input_since) return imp.attr_ints(n, "axes");
  if (imp.has_attr(n, "axes")) imp.fail(n, "axes must be an input from this opset on");
  if (!imp.has_input(n, 1)) return {};
  return imp.constant_ints(n, 1);
}

ir::Dims reshape_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in) {
  std::vector<int64_t> shape = imp.constant_ints(n, 1);
  bool allow_zero = imp.attr_int(n, "allowzero", 0) != 0;
  ir::Dims out;
  int infer_at = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t d = shape[i];
    if (d == 0 && !allow_zero) {
      if (i >= in.size()) imp.fail(n, "shape copies dim " + std::to_string(i) + " the input lacks");
      d = in[i];
    }
    if (d == -1) {
      if (infer_at >= 0) imp.fail(n, "shape has more than one -1");
      infer_at = static_cast<int>(i);
    } else if (d < 1 || d > kMaxDim || __builtin_mul_overflow(known, d, &known)) {
      imp.fail(n, "shape " + ir::dims_string(shape) + " is not supported");
    }
    out.push_back(d);
  }
  int64_t total = ir::element_count(in);
  if (infer_at >= 0) {
    if (known == 0 || total % known != 0)
      imp.fail(n, "cannot reshape " + ir::dims_string(in) + " to " + ir::dims_string(shape));
    out[static_cast<size_t>(infer_at)] = total / known;
  }
  if (ir::element_count(out) != total)
    imp.fail(n, "cannot reshape " + ir::dims_string(in) + " to " + ir::dims_string(out));
  return out;
}

ir::Dims flatten_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in) {
  int64_t axis = imp.attr_int(n, "axis", 1);
  auto r = static_cast<int64_t>(in.size());
  if (axis < -r || axis > r) imp.fail(n, "axis out of range");
  if (axis < 0) axis += r;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < r; ++i)
    if (__builtin_mul_overflow(i < axis ? outer : inner, in[static_cast<size_t>(i)],
                               i < axis ? &outer : &inner))
      imp.fail(n, "cannot flatten " + ir::dims_string(in) + ": too many elements");
  return {outer, inner};
}

ir::Dims squeeze_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in) {
  std::vector<int64_t> axes = axes_of(imp, n, 13);
  std::vector<bool> drop(in.size(), false);
  if (axes.empty()) {
    for (size_t i = 0; i < in.size(); ++i) drop[i] = in[i] == 1;
  }
  for (int64_t a : axes) {
    auto i = static_cast<size_t>(normalise_axis(imp, n, a, in.size()));
    if (in[i] != 1)
      imp.fail(n, "cannot squeeze axis " + std::to_string(a) + " of " + ir::dims_string(in));
    drop[i] = true;
  }
  ir::Dims out;
  for (size_t i = 0; i < in.size(); ++i)
    if (!drop[i]) out.push_back(in[i]);
  return out;
}

ir::Dims unsqueeze_target(const Importer& imp, const onnx::NodeProto& n, const ir::Dims& in) {
  std::vector<int64_t> axes = axes_of(imp, n, 13);
  size_t rank = in.size() + axes.size();
  std::vector<bool> inserted(rank, false);
  for (int64_t a : axes) {
    auto i = static_cast<size_t>(normalise_axis(imp, n, a, rank));
    if (inserted[i]) imp.fail(n, "repeated axis " + std::to_string(a));
    inserted[i] = true;
  }
  ir::Dims out;
  size_t next = 0;
  for (size_t i = 0; i < rank; ++i) out.push_back(inserted[i] ? 1 : in[next++]);
  return out;
}

}  // namespace yono::onnx_import
