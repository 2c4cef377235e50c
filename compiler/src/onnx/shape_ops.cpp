#include "shape_ops.h"

#include <algorithm>

namespace yono::onnx_import {

int64_t normalise_axis(const Importer& imp, const onnx::NodeProto& n, int64_t axis, size_t rank) {
  auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r)
    imp.fail(n, "axis " + std::to_string(axis) + " out of range for rank " + std::to_string(r));
  return axis < 0 ? axis + r : axis;
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
