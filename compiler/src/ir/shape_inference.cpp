// Output dims per op kind. Batch is always 1; spatial ops take [1,C,L]
// (1-D, the W attributes apply) or [1,C,H,W].
#include <algorithm>
#include <type_traits>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/op_shape.h"

namespace yono::ir {
namespace {

struct Checker {
  const Graph& g;
  const Op& op;

  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(std::string(op_type_name(op)) + " op '" + op.name + "': " + problem);
  }
  const Dims& in(size_t i) const {
    if (i >= op.inputs.size()) fail("missing input " + std::to_string(i));
    int t = op.inputs[i];
    if (t < 0 || t >= static_cast<int>(g.tensors.size())) fail("input index out of range");
    return g.tensors[static_cast<size_t>(t)].dims;
  }
  void expect_inputs(size_t lo, size_t hi) const {
    if (op.inputs.size() < lo || op.inputs.size() > hi)
      fail("expects " + std::to_string(lo) + ".." + std::to_string(hi) + " inputs, has " +
           std::to_string(op.inputs.size()));
  }
  // An int8 op (its output quantized) has one more constant input than its
  // f32 version (validate.cpp says which).
  void expect_inputs_for_kind(size_t lo, size_t hi) const {
    const int out = op.outputs.empty() ? -1 : op.outputs[0];
    const bool int8 = out >= 0 && out < static_cast<int>(g.tensors.size()) &&
                      g.tensors[static_cast<size_t>(out)].quant.has_value();
    if (int8) {
      expect_inputs(hi + 1, hi + 1);
    } else {
      expect_inputs(lo, hi);
    }
  }
  // [1,C,L] or [1,C,H,W]
  void expect_spatial(const Dims& d) const {
    if ((d.size() != 3 && d.size() != 4) || d[0] != 1)
      fail("input must be [1,C,L] or [1,C,H,W], got " + dims_string(d));
  }
  void expect_no_h(bool is_1d, int64_t k, int64_t stride, int64_t pad_a, int64_t pad_b) const {
    if (is_1d && (k != 1 || stride != 1 || pad_a != 0 || pad_b != 0))
      fail("1-D input but H attributes are set");
  }
};

int64_t windowed_extent(const Checker& c, const char* axis, int64_t in, int64_t k, int64_t stride,
                        int64_t dilation, int64_t pad_begin, int64_t pad_end, bool ceil_mode) {
  if (k < 1 || stride < 1 || dilation < 1 || pad_begin < 0 || pad_end < 0)
    c.fail(std::string("invalid kernel/stride/dilation/pads on ") + axis);
  int64_t span = in + pad_begin + pad_end - dilation * (k - 1) - 1;
  if (span < 0) c.fail(std::string("kernel larger than padded input on ") + axis);
  int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // PyTorch/ONNX: the last window must start inside the input or the left
  // padding, otherwise it would only see right padding.
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
  return out;
}

Dims conv_shape(const Checker& c, const ConvAttrs& a) {
  c.expect_inputs_for_kind(2, 3);
  const Dims& x = c.in(0);
  const Dims& w = c.in(1);
  c.expect_spatial(x);
  bool is_1d = x.size() == 3;
  c.expect_no_h(is_1d, a.kh, a.stride_h, a.pad_top, a.pad_bottom);
  if (is_1d && a.dilation_h != 1) c.fail("1-D input but dilation_h is set");
  if (w.size() != x.size()) c.fail("weight " + dims_string(w) + " does not match input rank");
  int64_t in_c = x[1], out_c = w[0];
  if (a.groups < 1 || in_c % a.groups != 0 || out_c % a.groups != 0)
    c.fail("groups " + std::to_string(a.groups) + " does not divide channels");
  if (w[1] * a.groups != in_c)
    c.fail("weight " + dims_string(w) + " does not match " + std::to_string(in_c) +
           " input channels with groups " + std::to_string(a.groups));
  int64_t wk_h = is_1d ? 1 : w[2], wk_w = w.back();
  if (wk_h != a.kh || wk_w != a.kw) c.fail("kernel attributes do not match weight shape");
  if (c.op.inputs.size() == 3 && element_count(c.in(2)) != out_c)
    c.fail("bias " + dims_string(c.in(2)) + " does not match " + std::to_string(out_c) +
           " output channels");
  int64_t ow = windowed_extent(c, "W", x.back(), a.kw, a.stride_w, a.dilation_w, a.pad_left,
                               a.pad_right, false);
  if (is_1d) return {1, out_c, ow};
  int64_t oh =
      windowed_extent(c, "H", x[2], a.kh, a.stride_h, a.dilation_h, a.pad_top, a.pad_bottom, false);
  return {1, out_c, oh, ow};
}

Dims dense_shape(const Checker& c) {
  c.expect_inputs_for_kind(2, 3);
  const Dims& x = c.in(0);
  const Dims& w = c.in(1);
  if (x.empty() || x[0] != 1) c.fail("input must have batch 1, got " + dims_string(x));
  if (w.size() != 2) c.fail("weight must be [out][in], got " + dims_string(w));
  if (element_count(x) != w[1])
    c.fail("input " + dims_string(x) + " does not have " + std::to_string(w[1]) + " features");
  if (c.op.inputs.size() == 3 && element_count(c.in(2)) != w[0])
    c.fail("bias " + dims_string(c.in(2)) + " does not match " + std::to_string(w[0]) + " outputs");
  return {1, w[0]};
}

Dims pool_shape(const Checker& c, const PoolAttrs& a) {
  c.expect_inputs(1, 1);
  if (a.kind == PoolKind::kSum) c.fail("a windowed pool cannot sum");
  const Dims& x = c.in(0);
  c.expect_spatial(x);
  bool is_1d = x.size() == 3;
  c.expect_no_h(is_1d, a.kh, a.stride_h, a.pad_top, a.pad_bottom);
  // A window lying entirely in padding would have no valid tap.
  if (a.pad_left >= a.kw || a.pad_right >= a.kw || a.pad_top >= a.kh || a.pad_bottom >= a.kh)
    c.fail("padding must be smaller than the kernel");
  int64_t ow =
      windowed_extent(c, "W", x.back(), a.kw, a.stride_w, 1, a.pad_left, a.pad_right, a.ceil_mode);
  if (is_1d) return {1, x[1], ow};
  int64_t oh =
      windowed_extent(c, "H", x[2], a.kh, a.stride_h, 1, a.pad_top, a.pad_bottom, a.ceil_mode);
  return {1, x[1], oh, ow};
}

Dims global_pool_shape(const Checker& c, const GlobalPoolAttrs& a) {
  c.expect_inputs(1, 1);
  const Dims& x = c.in(0);
  c.expect_spatial(x);
  if (!a.keepdims) return {1, x[1]};
  Dims out(x.size(), 1);
  out[1] = x[1];
  return out;
}

bool is_scalar(const Dims& d) {
  return element_count(d) == 1;
}

// ONNX (numpy) broadcasting right-aligns shapes, so [C] is per-channel for
// [1,C], [C,1] for [1,C,L] and [C,1,1] or [1,C,1,1] for [1,C,H,W].
bool is_per_channel_of(const Dims& small, const Dims& full) {
  if (full.size() < 2 || small.size() > full.size()) return false;
  Dims aligned(full.size() - small.size(), 1);
  aligned.insert(aligned.end(), small.begin(), small.end());
  for (size_t i = 0; i < aligned.size(); ++i)
    if (aligned[i] != (i == 1 ? full[1] : 1)) return false;
  return true;
}

}  // namespace

bool binary_operands_fit(const Dims& a, const Dims& b) {
  if (a == b) return true;
  const bool a_full = element_count(a) >= element_count(b);
  const Dims& full = a_full ? a : b;
  const Dims& small = a_full ? b : a;
  if (is_scalar(small) && small.size() <= full.size()) return true;
  return is_per_channel_of(small, full);
}

Dims broadcast_dims(const Dims& a, const Dims& b) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      throw Error("cannot broadcast " + dims_string(a) + " with " + dims_string(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

namespace {

Dims binary_shape(const Checker& c, BinaryKind kind) {
  c.expect_inputs_for_kind(2, 2);
  const Dims& a = c.in(0);
  const Dims& b = c.in(1);
  if (a == b) return a;
  if (kind == BinaryKind::kPRelu && element_count(b) > element_count(a))
    c.fail("PRelu slopes " + dims_string(b) + " are larger than the input " + dims_string(a));
  bool a_full = element_count(a) >= element_count(b);
  const Dims& full = a_full ? a : b;
  const Dims& small = a_full ? b : a;
  if (is_scalar(small) && small.size() <= full.size()) return full;
  if (is_per_channel_of(small, full)) return full;
  c.fail("cannot broadcast " + dims_string(a) + " with " + dims_string(b) +
         " (only same shape, scalar or per-channel)");
}

Dims channel_affine_shape(const Checker& c) {
  c.expect_inputs(3, 3);
  const Dims& x = c.in(0);
  if (x.size() < 2 || x[0] != 1) c.fail("input must be [1,C,...], got " + dims_string(x));
  if (element_count(c.in(1)) != x[1] || element_count(c.in(2)) != x[1])
    c.fail("scale/shift do not have " + std::to_string(x[1]) + " channels");
  return x;
}

Dims concat_shape(const Checker& c, ConcatAttrs& a) {
  if (c.op.inputs.empty()) c.fail("has no inputs");
  Dims out = c.in(0);
  auto rank = static_cast<int64_t>(out.size());
  if (a.axis < 0) a.axis += rank;
  if (a.axis < 1 || a.axis >= rank) c.fail("axis must be a non-batch axis of " + dims_string(out));
  auto axis = static_cast<size_t>(a.axis);
  for (size_t i = 1; i < c.op.inputs.size(); ++i) {
    const Dims& d = c.in(i);
    bool ok = d.size() == out.size();
    for (size_t k = 0; ok && k < d.size(); ++k) ok = k == axis || d[k] == out[k];
    if (!ok) c.fail("input " + dims_string(d) + " does not match " + dims_string(c.in(0)));
    out[axis] += d[axis];
  }
  return out;
}

Dims softmax_shape(const Checker& c, SoftmaxAttrs& a) {
  c.expect_inputs(1, 1);
  const Dims& x = c.in(0);
  auto rank = static_cast<int64_t>(x.size());
  if (a.axis < 0) a.axis += rank;
  if (a.axis < 0 || a.axis >= rank) c.fail("axis out of range for " + dims_string(x));
  return x;
}

Dims pad_shape(const Checker& c, const PadAttrs& a) {
  c.expect_inputs(1, 1);
  Dims x = c.in(0);
  c.expect_spatial(x);
  if (a.pad_top < 0 || a.pad_left < 0 || a.pad_bottom < 0 || a.pad_right < 0)
    c.fail("negative padding");
  if (x.size() == 3) {
    if (a.pad_top || a.pad_bottom) c.fail("1-D input but H padding is set");
  } else {
    x[2] += a.pad_top + a.pad_bottom;
  }
  x.back() += a.pad_left + a.pad_right;
  return x;
}

Dims reshape_shape(const Checker& c, const ReshapeAttrs& a) {
  c.expect_inputs(1, 1);
  const Dims& x = c.in(0);
  for (int64_t d : a.dims)
    if (d < 1) c.fail("target shape " + dims_string(a.dims) + " is not fully resolved");
  if (element_count(a.dims) != element_count(x))
    c.fail("cannot reshape " + dims_string(x) + " to " + dims_string(a.dims));
  return a.dims;
}

// Every offset the gather can form must index the input: the sum of each
// table's largest entry is the largest offset.
Dims axis_gather_shape(const Checker& c, const AxisGatherAttrs& a) {
  c.expect_inputs(1, 1);
  const int64_t in = element_count(c.in(0));
  if (a.view.empty() || a.view.size() > 6) c.fail("view rank must be 1..6");
  if (a.offsets.size() != a.view.size()) c.fail("one offset table per view axis needed");
  int64_t reach = 0;
  for (size_t k = 0; k < a.view.size(); ++k) {
    if (a.view[k] < 1 || static_cast<int64_t>(a.offsets[k].size()) != a.view[k])
      c.fail("offset table " + std::to_string(k) + " does not match view " + dims_string(a.view));
    int64_t largest = 0;
    for (int64_t v : a.offsets[k]) {
      if (v < 0 || v >= in) c.fail("offset " + std::to_string(v) + " outside the input");
      largest = std::max(largest, v);
    }
    reach += largest;
  }
  if (reach >= in) c.fail("offsets reach past the input's " + std::to_string(in) + " elements");
  if (element_count(a.view) != element_count(a.dims))
    c.fail("view " + dims_string(a.view) + " and output " + dims_string(a.dims) +
           " differ in size");
  return a.dims;
}

}  // namespace

Dims infer_op_shape(const Graph& g, Op& op) {
  Checker c{g, op};
  if (op.outputs.size() != 1) c.fail("must have exactly one output");
  return std::visit(
      [&](auto& a) -> Dims {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ConvAttrs>) return conv_shape(c, a);
        if constexpr (std::is_same_v<T, DenseAttrs>) return dense_shape(c);
        if constexpr (std::is_same_v<T, PoolAttrs>) return pool_shape(c, a);
        if constexpr (std::is_same_v<T, GlobalPoolAttrs>) return global_pool_shape(c, a);
        if constexpr (std::is_same_v<T, UnaryAttrs>) {
          c.expect_inputs_for_kind(1, 1);
          return c.in(0);
        }
        if constexpr (std::is_same_v<T, BinaryAttrs>) return binary_shape(c, a.kind);
        if constexpr (std::is_same_v<T, ChannelAffineAttrs>) return channel_affine_shape(c);
        if constexpr (std::is_same_v<T, ConcatAttrs>) return concat_shape(c, a);
        if constexpr (std::is_same_v<T, SoftmaxAttrs>) return softmax_shape(c, a);
        if constexpr (std::is_same_v<T, PadAttrs>) return pad_shape(c, a);
        if constexpr (std::is_same_v<T, ReshapeAttrs>) return reshape_shape(c, a);
        if constexpr (std::is_same_v<T, AxisGatherAttrs>) return axis_gather_shape(c, a);
        if constexpr (std::is_same_v<T, ConvertAttrs>) {
          c.expect_inputs(1, 1);
          return c.in(0);
        }
      },
      op.attrs);
}

void infer_shapes(Graph& g) {
  for (Op& op : g.ops) {
    Dims out = infer_op_shape(g, op);
    int t = op.outputs[0];
    if (t < 0 || t >= static_cast<int>(g.tensors.size()))
      throw Error(std::string(op_type_name(op)) + " op '" + op.name +
                  "': output index out of range");
    g.tensors[static_cast<size_t>(t)].dims = std::move(out);
  }
}

}  // namespace yono::ir
