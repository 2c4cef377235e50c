// Translators for the ONNX ops that only move data: each picks, per output
// axis, which input positions to read, and becomes one IR AxisGather
// (ir/axis_gather.h). A Transpose of a graph input is folded into the input
// instead, so a channels-last model costs the same as its channels-first twin.
#include "gather_translation.h"

#include <algorithm>
#include <cmath>

#include "shape_ops.h"
#include "yono/compiler/error.h"
#include "yono/compiler/ir/axis_gather.h"
#include "yono/compiler/ir/op_shape.h"

namespace yono::onnx_import {
namespace {

using Node = onnx::NodeProto;
using Picks = std::vector<std::vector<int64_t>>;

std::vector<int64_t> all_of(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
  return v;
}

Picks identity_picks(const Importer& imp, const Node& n, const ir::Dims& in) {
  check_gather_positions(imp, n, in);
  Picks p;
  for (int64_t d : in) p.push_back(all_of(d));
  return p;
}

ir::Dims sizes_of(const Picks& picks) {
  ir::Dims d;
  for (const auto& p : picks) d.push_back(static_cast<int64_t>(p.size()));
  return d;
}

// Emits the gather (or aliases the input when it reads everything in order)
// and returns the output tensor.
int emit_gather(Importer& imp, const Node& n, int x, const Picks& picks, ir::Dims out,
                const std::string& out_name) {
  const ir::Dims in = imp.graph().tensors[static_cast<size_t>(x)].dims;
  for (const auto& p : picks)
    if (p.empty()) imp.fail(n, "the result would be empty");
  bool identity = picks.size() == in.size();
  for (size_t k = 0; identity && k < picks.size(); ++k) {
    identity = static_cast<int64_t>(picks[k].size()) == in[k];
    for (size_t i = 0; identity && i < picks[k].size(); ++i)
      identity = picks[k][i] == static_cast<int64_t>(i);
  }
  if (identity) {
    if (out == in) return x;
    return imp.emit(n, ir::ReshapeAttrs{out}, {x}, out_name);
  }
  return imp.emit(n, ir::pick_gather(in, picks, std::move(out), n.op_type()), {x}, out_name);
}

void define(Importer& imp, const Node& n, int x, const Picks& picks, ir::Dims out) {
  imp.define_activation(n.output(0), emit_gather(imp, n, x, picks, std::move(out), n.output(0)));
}

}  // namespace

void translate_transpose(Importer& imp, const Node& n) {
  const int x = imp.activation(n, 0);
  const ir::Dims in = imp.dims(n, 0);
  const std::vector<int64_t> perm = transpose_perm(imp, n, in.size());
  ir::Dims out;
  for (int64_t p : perm) out.push_back(in[static_cast<size_t>(p)]);
  // A graph input read only here is declared in the permuted layout instead:
  // nothing moves at run time, and the pack's input is channels-first.
  if (imp.fold_input_transposes() && imp.is_graph_input(x) && imp.consumers(n.input(0)) == 1) {
    ir::Tensor& t = imp.graph().tensors[static_cast<size_t>(x)];
    imp.note("input '" + t.name + "' " + ir::dims_string(in) + ": Transpose '" + imp.node_name(n) +
             "' folded into it; the pack takes " + ir::dims_string(out));
    t.dims = out;
    imp.graph().input_layouts.push_back({t.name, perm});
    imp.define_activation(n.output(0), x);
    return;
  }
  // Permuting only size-1 axes moves nothing: a reshape.
  std::vector<int64_t> kept_order;
  for (int64_t p : perm)
    if (in[static_cast<size_t>(p)] != 1) kept_order.push_back(p);
  check_gather_positions(imp, n, in);
  if (std::is_sorted(kept_order.begin(), kept_order.end())) {
    imp.define_activation(n.output(0),
                          out == in ? x : imp.emit(n, ir::ReshapeAttrs{out}, {x}, n.output(0)));
    return;
  }
  imp.define_activation(n.output(0),
                        imp.emit(n, ir::transpose_gather(in, perm, "Transpose"), {x}, n.output(0)));
}

void translate_slice(Importer& imp, const Node& n) {
  const int x = imp.activation(n, 0);
  const Picks picks = slice_positions(imp, n, imp.dims(n, 0));
  define(imp, n, x, picks, sizes_of(picks));
}

void translate_gather(Importer& imp, const Node& n) {
  const int x = imp.activation(n, 0);
  const ir::Dims in = imp.dims(n, 0);
  if (!imp.is_constant(n, 1)) imp.fail(n, "only constant indices are supported");
  const HostTensor& idx = imp.constant(n, 1);
  if (!idx.is_int) imp.fail(n, "indices must be integers");
  const auto axis =
      static_cast<size_t>(normalise_axis(imp, n, imp.attr_int(n, "axis", 0), in.size()));
  if (static_cast<int64_t>(idx.values.size()) > kMaxGatherPositions)
    imp.fail(n, std::to_string(idx.values.size()) + " indices are more than a gather takes");
  Picks picks = identity_picks(imp, n, in);
  picks[axis].clear();
  for (double v : idx.values) {
    int64_t k = to_int64(v);
    if (k < -in[axis] || k >= in[axis])
      imp.fail(n, "index " + std::to_string(k) + " is outside axis " + std::to_string(axis) +
                      " of " + ir::dims_string(in));
    picks[axis].push_back(k < 0 ? k + in[axis] : k);
  }
  ir::Dims out(in.begin(), in.begin() + static_cast<long>(axis));
  out.insert(out.end(), idx.dims.begin(), idx.dims.end());
  out.insert(out.end(), in.begin() + static_cast<long>(axis) + 1, in.end());
  define(imp, n, x, picks, out);
}

void translate_split(Importer& imp, const Node& n) {
  const int x = imp.activation(n, 0);
  const ir::Dims in = imp.dims(n, 0);
  const auto axis =
      static_cast<size_t>(normalise_axis(imp, n, imp.attr_int(n, "axis", 0), in.size()));
  std::vector<int64_t> sizes;
  if (imp.opset() >= 13) {
    if (imp.has_input(n, 1)) sizes = imp.constant_ints(n, 1);
  } else {
    sizes = imp.attr_ints(n, "split");
  }
  const auto parts = static_cast<int64_t>(n.output_size());
  if (sizes.empty()) {
    if (in[axis] % parts != 0)
      imp.fail(n, "axis of " + std::to_string(in[axis]) + " does not split into " +
                      std::to_string(parts) + " equal parts");
    sizes.assign(static_cast<size_t>(parts), in[axis] / parts);
  }
  if (static_cast<int64_t>(sizes.size()) != parts)
    imp.fail(n, "split sizes do not match the " + std::to_string(parts) + " outputs");
  int64_t start = 0;
  for (int64_t s : sizes) {
    if (s < 1) imp.fail(n, "split sizes must be positive");
    start += s;
  }
  if (start != in[axis])
    imp.fail(
        n, "split sizes add up to " + std::to_string(start) + ", not " + std::to_string(in[axis]));
  start = 0;
  for (int i = 0; i < n.output_size(); ++i) {
    Picks picks = identity_picks(imp, n, in);
    picks[axis].clear();
    for (int64_t k = 0; k < sizes[static_cast<size_t>(i)]; ++k) picks[axis].push_back(start + k);
    start += sizes[static_cast<size_t>(i)];
    if (n.output(i).empty()) continue;
    imp.define_activation(n.output(i), emit_gather(imp, n, x, picks, sizes_of(picks), n.output(i)));
  }
}

int expand_tensor(Importer& imp, const Node& n, int x, const ir::Dims& target) {
  check_gather_positions(imp, n, target);
  const ir::Dims in = imp.graph().tensors[static_cast<size_t>(x)].dims;
  if (in.size() > target.size()) imp.fail(n, "cannot expand to a lower rank");
  ir::Dims aligned(target.size() - in.size(), 1);
  aligned.insert(aligned.end(), in.begin(), in.end());
  Picks picks;
  for (size_t k = 0; k < target.size(); ++k) {
    if (aligned[k] != target[k] && aligned[k] != 1)
      imp.fail(n, "cannot broadcast " + ir::dims_string(in) + " to " + ir::dims_string(target));
    picks.push_back(aligned[k] == 1 ? std::vector<int64_t>(static_cast<size_t>(target[k]), 0)
                                    : all_of(target[k]));
  }
  if (aligned == target)  // nothing to repeat
    return in == target ? x : imp.emit(n, ir::ReshapeAttrs{target}, {x}, n.output(0) + "/expanded");
  return imp.emit(n, ir::pick_gather(aligned, picks, target, "Expand"), {x},
                  n.output(0) + "/expanded");
}

void translate_expand(Importer& imp, const Node& n) {
  const int x = imp.activation(n, 0);
  const ir::Dims shape = imp.constant_ints(n, 1);
  ir::Dims target;
  try {
    target = ir::broadcast_dims(imp.dims(n, 0), shape);
  } catch (const Error& e) {
    imp.fail(n, e.what());
  }
  for (int64_t d : target)
    if (d < 1) imp.fail(n, "shape " + ir::dims_string(target) + " is not supported");
  imp.define_activation(n.output(0), expand_tensor(imp, n, x, target));
}

namespace {

// ONNX Resize's nearest sampling along one axis: the source position of
// each output position, computed as the operator's reference does (in
// double precision), then clamped into the input.
std::vector<int64_t> nearest_positions(const Importer& imp, const Node& n, int64_t in, int64_t out,
                                       double scale) {
  const std::string ctm = imp.attr_string(n, "coordinate_transformation_mode", "half_pixel");
  const std::string mode = imp.attr_string(n, "nearest_mode", "round_prefer_floor");
  std::vector<int64_t> pos;
  for (int64_t i = 0; i < out; ++i) {
    double x = 0;
    if (ctm == "half_pixel") {
      x = (i + 0.5) / scale - 0.5;
    } else if (ctm == "pytorch_half_pixel") {
      x = out > 1 ? (i + 0.5) / scale - 0.5 : 0.0;
    } else if (ctm == "align_corners") {
      x = out == 1 ? 0.0 : static_cast<double>(i) * (in - 1) / (out - 1);
    } else if (ctm == "asymmetric") {
      x = i / scale;
    } else if (ctm == "tf_half_pixel_for_nearest") {
      x = (i + 0.5) / scale;
    } else {
      imp.fail(n, "coordinate_transformation_mode '" + ctm + "' is not supported");
    }
    double r = 0;
    if (mode == "round_prefer_floor") {
      r = x == std::floor(x) + 0.5 ? std::floor(x) : std::round(x);
    } else if (mode == "round_prefer_ceil") {
      r = std::round(x);
    } else if (mode == "floor") {
      r = std::floor(x);
    } else if (mode == "ceil") {
      r = std::ceil(x);
    } else {
      imp.fail(n, "nearest_mode '" + mode + "' is not supported");
    }
    // Clamped as a double: a tiny scale puts x far past any int64.
    pos.push_back(static_cast<int64_t>(std::clamp(r, 0.0, static_cast<double>(in - 1))));
  }
  return pos;
}

}  // namespace

void translate_resize(Importer& imp, const Node& n) {
  const int x = imp.activation(n, 0);
  const ir::Dims in = imp.dims(n, 0);
  const std::string mode = imp.attr_string(n, "mode", "nearest");
  if (mode != "nearest") imp.fail(n, "mode '" + mode + "' is not supported (only nearest)");
  std::vector<double> scales;
  ir::Dims out;
  if (imp.has_input(n, 3)) {
    out = imp.constant_ints(n, 3);
    if (out.size() != in.size()) imp.fail(n, "sizes must have one value per axis");
    for (size_t k = 0; k < in.size(); ++k)
      scales.push_back(static_cast<double>(out[k]) / static_cast<double>(in[k]));
  } else if (imp.has_input(n, 2)) {
    const HostTensor& s = imp.constant(n, 2);
    if (s.is_int || s.values.size() != in.size())
      imp.fail(n, "scales must be floats, one per axis");
    for (size_t k = 0; k < in.size(); ++k) {
      if (!(s.values[k] > 0)) imp.fail(n, "scales must be positive");
      scales.push_back(static_cast<float>(s.values[k]));
      // Checked in double before the conversion (a huge scale would overflow).
      const double size = std::floor(static_cast<double>(in[k]) * scales.back());
      if (!(size >= 1 && size <= static_cast<double>(kMaxGatherPositions)))
        imp.fail(n, "scale " + std::to_string(scales.back()) + " gives an unsupported size");
      out.push_back(static_cast<int64_t>(size));
    }
  } else {
    imp.fail(n, "needs scales or sizes");
  }
  for (int64_t d : out)
    if (d < 1) imp.fail(n, "output size " + std::to_string(d) + " is not supported");
  check_gather_positions(imp, n, out);
  Picks picks;
  for (size_t k = 0; k < in.size(); ++k) {
    picks.push_back(nearest_positions(imp, n, in[k], out[k], scales[k]));
  }
  define(imp, n, x, picks, out);
}

void translate_pad_by_gather(Importer& imp, const Node& n, const std::string& mode) {
  const int x = imp.activation(n, 0);
  const ir::Dims in = imp.dims(n, 0);
  const std::vector<int64_t> pads = imp.constant_ints(n, 1);
  const size_t rank = in.size();
  std::vector<int64_t> axes;
  if (imp.has_input(n, 3)) {
    axes = imp.constant_ints(n, 3);
  } else {
    for (size_t k = 0; k < rank; ++k) axes.push_back(static_cast<int64_t>(k));
  }
  if (pads.size() != 2 * axes.size()) imp.fail(n, "pads must have two values per axis");
  Picks picks = identity_picks(imp, n, in);
  for (size_t i = 0; i < axes.size(); ++i) {
    const auto ax = static_cast<size_t>(normalise_axis(imp, n, axes[i], rank));
    const int64_t len = in[ax], before = pads[i], after = pads[i + axes.size()];
    if (before < -len || after < -len || before > kMaxGatherPositions ||
        after > kMaxGatherPositions || len + before + after < 1)
      imp.fail(n, "pads " + std::to_string(before) + ", " + std::to_string(after) +
                      " on an axis of " + std::to_string(len) + " are not supported");
    if (mode == "reflect" && (before >= len || after >= len))
      imp.fail(n, "reflect padding of " + std::to_string(std::max(before, after)) +
                      " needs an axis longer than " + std::to_string(len));
    std::vector<int64_t> p;
    for (int64_t j = -before; j < len + after; ++j) {
      int64_t k = j;
      if (mode == "edge") k = std::clamp<int64_t>(j, 0, len - 1);
      if (mode == "reflect") k = j < 0 ? -j : (j >= len ? 2 * (len - 1) - j : j);
      p.push_back(k);
    }
    picks[ax] = std::move(p);
  }
  define(imp, n, x, picks, sizes_of(picks));
}

}  // namespace yono::onnx_import
