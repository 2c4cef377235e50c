#include "lower_ops.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "yono/compiler/error.h"
#include "yono/kernels_s8.h"
#include "yono/pq.h"

namespace yono {
namespace {

using ir::Dims;

// Reports problems with one op; every message names model, op and type.
struct OpCheck {
  const ir::Graph& g;
  const ir::Op& op;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error("model '" + g.name + "', op '" + op.name + "' (" + ir::op_type_name(op) +
                "): " + what);
  }
  void require(bool ok, const std::string& what) const {
    if (!ok) fail(what);
  }
  const ir::Tensor& in(size_t i) const { return g.tensors[op.inputs[i]]; }
  const ir::Tensor& out() const { return g.tensors[op.outputs[0]]; }
  const Dims& in_dims(size_t i) const { return in(i).dims; }
  const Dims& out_dims() const { return out().dims; }

  void input_count(size_t lo, size_t hi) const {
    require(op.inputs.size() >= lo && op.inputs.size() <= hi,
            "expects " + std::to_string(lo) + (lo == hi ? "" : ".." + std::to_string(hi)) +
                " inputs, got " + std::to_string(op.inputs.size()));
  }
  uint32_t u32(int64_t v, const char* what) const {
    require(v >= 0 && v <= std::numeric_limits<uint32_t>::max(),
            std::string(what) + " = " + std::to_string(v) + " does not fit in 32 bits");
    return static_cast<uint32_t>(v);
  }
  int64_t numel(const ir::Tensor& t) const { return ir::element_count(t.dims); }
  // Activations are [1, C, H, W] (2-D ops) or [1, C, L] (1-D ops).
  bool spatial_rank(const Dims& d) const { return (d.size() == 3 || d.size() == 4) && d[0] == 1; }
  // An int8 op (integer execution) takes one more constant input than its
  // f32 version: Conv/Dense a requantization table after the bias, Unary
  // its lookup table, Add its requantization.
  bool int8() const { return out().quant.has_value(); }
  void inputs_for_kind(size_t lo, size_t hi) const {
    if (int8()) {
      input_count(hi + 1, hi + 1);
    } else {
      input_count(lo, hi);
    }
  }
};

template <typename P>
std::vector<uint8_t> bytes_of(const P& p) {
  static_assert(std::is_trivially_copyable_v<P>);
  std::vector<uint8_t> b(sizeof(P));
  std::memcpy(b.data(), &p, sizeof(P));
  return b;
}

// Mirrors ops::valid_window_axis on the device, with an explanation.
void check_window(const OpCheck& c, const char* axis, int64_t in, int64_t out, int64_t k,
                  int64_t stride, int64_t dilation, int64_t pad) {
  const std::string a = axis;
  c.require(in > 0 && out > 0 && k > 0, a + ": input, output and kernel sizes must be positive");
  c.require(stride > 0 && dilation > 0, a + ": stride and dilation must be positive");
  const int64_t extent = (k - 1) * dilation + 1;
  c.require(pad >= 0 && pad < extent, a + ": leading padding " + std::to_string(pad) +
                                          " must be below the kernel extent " +
                                          std::to_string(extent));
  c.require((out - 1) * stride < in + pad,
            a + ": output size " + std::to_string(out) + " has a window starting past the input");
  c.require((out - 1) * stride + extent + pad + in <= 0x7FFFFFFF, a + ": sizes too large");
}

uint32_t pool_kind(ir::PoolKind k) {
  switch (k) {
    case ir::PoolKind::kMax: return static_cast<uint32_t>(PoolKind::kMax);
    case ir::PoolKind::kAverage: return static_cast<uint32_t>(PoolKind::kAverage);
    case ir::PoolKind::kSum: return static_cast<uint32_t>(PoolKind::kSum);
  }
  return 0;
}

uint32_t binary_kind(ir::BinaryKind k) {
  switch (k) {
    case ir::BinaryKind::kAdd: return static_cast<uint32_t>(BinaryKind::kAdd);
    case ir::BinaryKind::kSub: return static_cast<uint32_t>(BinaryKind::kSub);
    case ir::BinaryKind::kMul: return static_cast<uint32_t>(BinaryKind::kMul);
    case ir::BinaryKind::kDiv: return static_cast<uint32_t>(BinaryKind::kDiv);
    case ir::BinaryKind::kPRelu: return static_cast<uint32_t>(BinaryKind::kPRelu);
  }
  return 0;
}

LoweredOp lower(const OpCheck& c, const ir::ConvAttrs& a) {
  c.inputs_for_kind(2, 3);
  const Dims& x = c.in_dims(0);
  const Dims& w = c.in_dims(1);
  const Dims& y = c.out_dims();
  c.require(c.spatial_rank(x) && y.size() == x.size() && w.size() == x.size() && y[0] == 1,
            "expects input, weights and output of rank 3 or 4 with batch 1, got " +
                ir::dims_string(x) + ", " + ir::dims_string(w) + ", " + ir::dims_string(y));
  c.require(!c.in(0).is_constant && c.in(1).is_constant, "weights must be constant");
  const bool one_d = x.size() == 3;
  ConvParams p{};
  p.in_c = c.u32(x[1], "in_c");
  p.in_h = one_d ? 1 : c.u32(x[2], "in_h");
  p.in_w = c.u32(x.back(), "in_w");
  p.out_c = c.u32(y[1], "out_c");
  p.out_h = one_d ? 1 : c.u32(y[2], "out_h");
  p.out_w = c.u32(y.back(), "out_w");
  p.kh = one_d ? 1 : c.u32(w[2], "kh");
  p.kw = c.u32(w.back(), "kw");
  c.require(one_d || (a.kh == w[2] && a.kw == w[3]), "kernel attributes disagree with weights");
  c.require(!one_d || a.kw == w[2], "kernel attribute disagrees with weights");
  p.stride_h = one_d ? 1 : c.u32(a.stride_h, "stride_h");
  p.stride_w = c.u32(a.stride_w, "stride_w");
  p.dilation_h = one_d ? 1 : c.u32(a.dilation_h, "dilation_h");
  p.dilation_w = c.u32(a.dilation_w, "dilation_w");
  p.pad_top = one_d ? 0 : c.u32(a.pad_top, "pad_top");
  p.pad_left = c.u32(a.pad_left, "pad_left");
  p.groups = c.u32(a.groups, "groups");
  c.require(p.groups > 0 && p.in_c % p.groups == 0 && p.out_c % p.groups == 0,
            "groups must divide input and output channels");
  c.require(w[0] == y[1] && w[1] * a.groups == x[1],
            "weights " + ir::dims_string(w) + " do not match channels");
  const int64_t pad_bottom = one_d ? 0 : a.pad_bottom;
  const int64_t pads_h = p.pad_top + pad_bottom;
  const int64_t pads_w = p.pad_left + a.pad_right;
  auto expected = [](int64_t in, int64_t pads, int64_t k, int64_t dil, int64_t stride) {
    return (in + pads - dil * (k - 1) - 1) / stride + 1;
  };
  check_window(c, "height", p.in_h, p.out_h, p.kh, p.stride_h, p.dilation_h, p.pad_top);
  check_window(c, "width", p.in_w, p.out_w, p.kw, p.stride_w, p.dilation_w, p.pad_left);
  c.require(pad_bottom >= 0 && a.pad_right >= 0 &&
                p.out_h == expected(p.in_h, pads_h, p.kh, p.dilation_h, p.stride_h) &&
                p.out_w == expected(p.in_w, pads_w, p.kw, p.dilation_w, p.stride_w),
            "output " + ir::dims_string(y) + " inconsistent with input, kernel and padding");
  p.has_bias = c.op.inputs.size() >= 3 ? 1 : 0;
  if (p.has_bias) {
    c.require(c.in(2).is_constant && c.numel(c.in(2)) == y[1], "bias must be constant [out_c]");
  }
  p.act_min = a.act.min;
  p.act_max = a.act.max;
  return {OpType::kConv, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::DenseAttrs& a) {
  c.inputs_for_kind(2, 3);
  const Dims& w = c.in_dims(1);
  c.require(!c.in(0).is_constant && c.in(1).is_constant, "weights must be constant");
  c.require(w.size() == 2, "weights must be [out][in], got " + ir::dims_string(w));
  DenseParams p{};
  p.in_features = c.u32(c.numel(c.in(0)), "in_features");
  p.out_features = c.u32(w[0], "out_features");
  c.require(
      w[1] == p.in_features && p.in_features > 0 && p.out_features > 0,
      "weights " + ir::dims_string(w) + " do not match input " + ir::dims_string(c.in_dims(0)));
  c.require(c.numel(c.out()) == w[0],
            "output " + ir::dims_string(c.out_dims()) + " does not have out_features elements");
  p.has_bias = c.op.inputs.size() >= 3 ? 1 : 0;
  if (p.has_bias) {
    c.require(c.in(2).is_constant && c.numel(c.in(2)) == w[0],
              "bias must be constant [out_features]");
  }
  p.act_min = a.act.min;
  p.act_max = a.act.max;
  return {OpType::kDense, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::PoolAttrs& a) {
  c.input_count(1, 1);
  const Dims& x = c.in_dims(0);
  const Dims& y = c.out_dims();
  c.require(c.spatial_rank(x) && y.size() == x.size() && y[0] == 1 && y[1] == x[1],
            "expects input and output [1,C,H,W] or [1,C,L], got " + ir::dims_string(x) + " -> " +
                ir::dims_string(y));
  const bool one_d = x.size() == 3;
  PoolParams p{};
  p.kind = pool_kind(a.kind);
  p.c = c.u32(x[1], "channels");
  p.in_h = one_d ? 1 : c.u32(x[2], "in_h");
  p.in_w = c.u32(x.back(), "in_w");
  p.out_h = one_d ? 1 : c.u32(y[2], "out_h");
  p.out_w = c.u32(y.back(), "out_w");
  p.kh = one_d ? 1 : c.u32(a.kh, "kh");
  p.kw = c.u32(a.kw, "kw");
  p.stride_h = one_d ? 1 : c.u32(a.stride_h, "stride_h");
  p.stride_w = c.u32(a.stride_w, "stride_w");
  p.pad_top = one_d ? 0 : c.u32(a.pad_top, "pad_top");
  p.pad_left = c.u32(a.pad_left, "pad_left");
  p.count_include_pad = a.count_include_pad ? 1 : 0;
  // The kernel divides by the window clipped to [-pad, in + pad), PyTorch's
  // rule, which takes bottom/right padding equal to top/left padding.
  c.require(
      !p.count_include_pad || (a.pad_right == a.pad_left && (one_d || a.pad_bottom == a.pad_top)),
      "count_include_pad with asymmetric padding is not supported");
  // ceil_mode is already resolved into the output shape; only the windows'
  // reach is checked here.
  check_window(c, "height", p.in_h, p.out_h, p.kh, p.stride_h, 1, p.pad_top);
  check_window(c, "width", p.in_w, p.out_w, p.kw, p.stride_w, 1, p.pad_left);
  c.require(int64_t{p.kh} * p.kw <= 0x7FFFFFFF, "kernel too large");
  return {OpType::kPool, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::GlobalPoolAttrs& a) {
  c.input_count(1, 1);
  const Dims& x = c.in_dims(0);
  c.require(x.size() >= 2 && x[0] == 1 && x[1] > 0,
            "expects input [1,C,...], got " + ir::dims_string(x));
  GlobalPoolParams p{};
  p.kind = pool_kind(a.kind);
  p.c = c.u32(x[1], "channels");
  p.spatial = c.u32(c.numel(c.in(0)) / x[1], "spatial size");
  c.require(p.spatial > 0 && c.numel(c.out()) == x[1],
            "output " + ir::dims_string(c.out_dims()) + " must have C elements");
  return {OpType::kGlobalPool, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::UnaryAttrs& a) {
  c.inputs_for_kind(1, 1);
  UnaryParams p{};
  switch (a.kind) {
    case ir::UnaryKind::kRelu: p.kind = static_cast<uint32_t>(UnaryKind::kRelu); break;
    case ir::UnaryKind::kLeakyRelu: p.kind = static_cast<uint32_t>(UnaryKind::kLeakyRelu); break;
    case ir::UnaryKind::kClip: p.kind = static_cast<uint32_t>(UnaryKind::kClip); break;
    case ir::UnaryKind::kSigmoid: p.kind = static_cast<uint32_t>(UnaryKind::kSigmoid); break;
    case ir::UnaryKind::kTanh: p.kind = static_cast<uint32_t>(UnaryKind::kTanh); break;
    case ir::UnaryKind::kHardSigmoid:
      p.kind = static_cast<uint32_t>(UnaryKind::kHardSigmoid);
      break;
    case ir::UnaryKind::kHardSwish: p.kind = static_cast<uint32_t>(UnaryKind::kHardSwish); break;
  }
  p.count = c.u32(c.numel(c.in(0)), "element count");
  c.require(p.count > 0 && c.numel(c.out()) == p.count, "output size differs from input size");
  p.alpha = a.alpha;
  p.beta = a.beta;
  return {OpType::kUnary, bytes_of(p)};
}

// True when `small`, right-aligned against `full` as in ONNX broadcasting,
// is 1 everywhere except full's channel axis (1), where it equals C.
bool per_channel(const Dims& small, const Dims& full) {
  if (full.size() < 2 || small.size() > full.size() || full[0] != 1) return false;
  const size_t shift = full.size() - small.size();
  for (size_t k = 0; k < full.size(); ++k) {
    const int64_t d = k < shift ? 1 : small[k - shift];
    if (d != (k == 1 ? full[1] : 1)) return false;
  }
  return true;
}

LoweredOp lower(const OpCheck& c, const ir::BinaryAttrs& a) {
  c.inputs_for_kind(2, 2);
  const int64_t na = c.numel(c.in(0));
  const int64_t nb = c.numel(c.in(1));
  const int64_t ny = c.numel(c.out());
  BinaryParams p{};
  p.kind = binary_kind(a.kind);
  p.count = c.u32(ny, "element count");
  p.c = 1;
  p.inner = p.count;
  c.require(ny > 0, "empty output");
  if (na == ny && nb == ny) {
    p.broadcast = static_cast<uint32_t>(Broadcast::kNone);
  } else if (nb == 1 && na == ny) {
    p.broadcast = static_cast<uint32_t>(Broadcast::kBScalar);
  } else if (na == 1 && nb == ny) {
    p.broadcast = static_cast<uint32_t>(Broadcast::kAScalar);
  } else if (na == ny && per_channel(c.in_dims(1), c.in_dims(0))) {
    p.broadcast = static_cast<uint32_t>(Broadcast::kBPerChannel);
    p.c = c.u32(c.in_dims(0)[1], "channels");
    p.inner = c.u32(ny / p.c, "inner");
  } else if (nb == ny && per_channel(c.in_dims(0), c.in_dims(1))) {
    p.broadcast = static_cast<uint32_t>(Broadcast::kAPerChannel);
    p.c = c.u32(c.in_dims(1)[1], "channels");
    p.inner = c.u32(ny / p.c, "inner");
  } else {
    c.fail("unsupported broadcast " + ir::dims_string(c.in_dims(0)) + " with " +
           ir::dims_string(c.in_dims(1)) + " -> " + ir::dims_string(c.out_dims()) +
           " (only equal shapes, scalars and per-channel are supported)");
  }
  p.act_min = a.act.min;
  p.act_max = a.act.max;
  return {OpType::kBinary, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::ChannelAffineAttrs& a) {
  c.input_count(3, 3);
  const Dims& x = c.in_dims(0);
  c.require(x.size() >= 2 && x[0] == 1 && x[1] > 0,
            "expects input [1,C,...], got " + ir::dims_string(x));
  ChannelAffineParams p{};
  p.c = c.u32(x[1], "channels");
  p.inner = c.u32(c.numel(c.in(0)) / x[1], "inner");
  c.require(c.numel(c.in(1)) == x[1] && c.numel(c.in(2)) == x[1],
            "scale and shift must have C elements");
  c.require(c.numel(c.out()) == c.numel(c.in(0)), "output size differs from input size");
  p.act_min = a.act.min;
  p.act_max = a.act.max;
  return {OpType::kChannelAffine, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::ConcatAttrs& a) {
  c.input_count(1, kMaxOpInputs);
  const Dims& y = c.out_dims();
  const int64_t rank = static_cast<int64_t>(y.size());
  const int64_t axis = a.axis < 0 ? a.axis + rank : a.axis;
  c.require(axis >= 0 && axis < rank, "axis out of range");
  int64_t along = 0;
  for (size_t i = 0; i < c.op.inputs.size(); ++i) {
    const Dims& x = c.in_dims(i);
    bool ok = x.size() == y.size();
    for (int64_t k = 0; ok && k < rank; ++k)
      if (k != axis && x[k] != y[k]) ok = false;
    c.require(ok, "input " + ir::dims_string(x) + " does not fit output " + ir::dims_string(y));
    along += x[axis];
  }
  c.require(along == y[axis], "input sizes along the axis do not add up to the output's");
  ConcatParams p{};
  int64_t outer = 1, inner = 1;
  for (int64_t k = 0; k < axis; ++k) outer *= y[k];
  for (int64_t k = axis + 1; k < rank; ++k) inner *= y[k];
  p.outer = c.u32(outer, "outer");
  p.inner = c.u32(inner, "inner");
  c.require(outer > 0 && inner > 0, "empty output");
  return {OpType::kConcat, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::SoftmaxAttrs& a) {
  c.input_count(1, 1);
  const Dims& x = c.in_dims(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  const int64_t axis = a.axis < 0 ? a.axis + rank : a.axis;
  c.require(axis >= 0 && axis < rank, "axis out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t k = 0; k < axis; ++k) outer *= x[k];
  for (int64_t k = axis + 1; k < rank; ++k) inner *= x[k];
  SoftmaxParams p{};
  p.outer = c.u32(outer, "outer");
  p.axis_len = c.u32(x[axis], "axis length");
  p.inner = c.u32(inner, "inner");
  c.require(c.numel(c.in(0)) > 0 && c.numel(c.out()) == c.numel(c.in(0)),
            "output size differs from input size");
  return {a.log ? OpType::kLogSoftmax : OpType::kSoftmax, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::PadAttrs& a) {
  c.input_count(1, 1);
  const Dims& x = c.in_dims(0);
  const Dims& y = c.out_dims();
  c.require(c.spatial_rank(x) && y.size() == x.size(),
            "expects input [1,C,H,W] or [1,C,L], got " + ir::dims_string(x));
  const bool one_d = x.size() == 3;
  c.require(!one_d || (a.pad_top == 0 && a.pad_bottom == 0), "a 1-D pad cannot pad the height");
  PadParams p{};
  p.c = c.u32(x[1], "channels");
  p.in_h = one_d ? 1 : c.u32(x[2], "in_h");
  p.in_w = c.u32(x.back(), "in_w");
  p.pad_top = c.u32(a.pad_top, "pad_top");
  p.pad_left = c.u32(a.pad_left, "pad_left");
  p.pad_bottom = c.u32(a.pad_bottom, "pad_bottom");
  p.pad_right = c.u32(a.pad_right, "pad_right");
  p.value = a.value;
  const int64_t out_h = int64_t{p.in_h} + p.pad_top + p.pad_bottom;
  const int64_t out_w = int64_t{p.in_w} + p.pad_left + p.pad_right;
  c.require(y[1] == x[1] && y.back() == out_w && (one_d || y[2] == out_h),
            "output " + ir::dims_string(y) + " inconsistent with padding");
  return {OpType::kPad, bytes_of(p)};
}

LoweredOp lower(const OpCheck& c, const ir::AxisGatherAttrs& a) {
  c.input_count(1, 1);
  c.require(!a.view.empty() && a.view.size() <= kMaxRank && a.offsets.size() == a.view.size(),
            "view rank must be 1.." + std::to_string(kMaxRank));
  const int64_t in = c.numel(c.in(0));
  AxisGatherParams p{};
  p.rank = static_cast<uint32_t>(a.view.size());
  std::vector<uint32_t> tables;
  int64_t reach = 0;
  for (size_t k = 0; k < a.view.size(); ++k) {
    p.dims[k] = c.u32(a.view[k], "view dim");
    c.require(p.dims[k] > 0 && a.offsets[k].size() == p.dims[k], "offset table size");
    int64_t largest = 0;
    for (int64_t v : a.offsets[k]) {
      tables.push_back(c.u32(v, "offset"));
      largest = std::max(largest, v);
    }
    reach += largest;
  }
  c.require(reach < in, "offsets reach past the input");
  c.require(
      ir::element_count(a.view) == c.numel(c.out()) && ir::element_count(a.view) <= 0x7FFFFFFF,
      "view and output sizes differ");
  std::vector<uint8_t> bytes = bytes_of(p);
  const size_t head = bytes.size();
  bytes.resize(head + tables.size() * 4);
  std::memcpy(bytes.data() + head, tables.data(), tables.size() * 4);
  return {OpType::kAxisGather, bytes};
}

LoweredOp lower(const OpCheck& c, const ir::ConvertAttrs&) {
  c.input_count(1, 1);
  c.require(c.in(0).quant.has_value() != c.out().quant.has_value(),
            "converts between an f32 and an int8 tensor");
  c.require(c.numel(c.in(0)) == c.numel(c.out()), "output size differs from input size");
  return {OpType::kConvert, {}};
}

LoweredOp lower(const OpCheck& c, const ir::ReshapeAttrs&) {
  c.input_count(1, 1);
  c.require(c.numel(c.in(0)) == c.numel(c.out()), "reshape changes the element count");
  return {OpType::kReshape, {}};
}

}  // namespace

LoweredOp lower_op(const ir::Graph& g, const ir::Op& op) {
  const OpCheck c{g, op};
  c.require(op.outputs.size() == 1, "expects exactly one output");
  return std::visit([&](const auto& a) { return lower(c, a); }, op.attrs);
}

namespace {

// An int8 conv's scratch holds a batch of gathered input windows (each
// decoded weight row then serves that many output positions; depthwise: a
// padded input plane): up to kColumns windows while the scratch stays within
// `budget`, at least one. A dense layer needs one decoded row.
constexpr uint32_t kColumns = 16;

uint64_t s8_scratch_bytes(bool conv, const ConvParams& cp, const S8Weights& w, uint64_t budget) {
  if (!conv) return uint64_t{s8_row_scratch_values(w)} * 2;
  uint32_t columns = kColumns;
  while (columns > 1 && uint64_t{conv_s8_scratch_values(cp, w, columns)} * 2 > budget) --columns;
  return uint64_t{conv_s8_scratch_values(cp, w, columns)} * 2;
}

}  // namespace

uint64_t weight_scratch_bytes(const ir::Graph& g, const ir::Op& op,
                              const std::vector<ir::Codebook>& codebooks, uint64_t budget) {
  const OpCheck c{g, op};
  const bool conv = std::holds_alternative<ir::ConvAttrs>(op.attrs);
  const bool dense = std::holds_alternative<ir::DenseAttrs>(op.attrs);
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const bool encoded = !std::holds_alternative<std::monostate>(c.in(i).encoding);
    c.require(!encoded || ((conv || dense) && i == 1),
              "input '" + c.in(i).name + "' is encoded, but only Conv and Dense weights may be");
  }
  if (!conv && !dense) return 0;
  const ir::Tensor& w = c.in(1);
  if (std::holds_alternative<std::monostate>(w.encoding)) return 0;
  const LoweredOp lowered = lower_op(g, op);
  ConvParams cp{};
  DenseParams dp{};
  if (conv) std::memcpy(&cp, lowered.params.data(), sizeof(cp));
  if (dense) std::memcpy(&dp, lowered.params.data(), sizeof(dp));
  uint64_t floats = 0;
  if (const auto* pq = std::get_if<ir::PqEncoding>(&w.encoding)) {
    c.require(pq->codebook >= 0 && static_cast<size_t>(pq->codebook) < codebooks.size(),
              "weights '" + w.name + "' reference codebook " + std::to_string(pq->codebook) +
                  " of " + std::to_string(codebooks.size()));
    const ir::Codebook& cb = codebooks[static_cast<size_t>(pq->codebook)];
    c.require(cb.dim >= 1, "codebook '" + cb.name + "' has dim 0");
    const int64_t rows = w.dims.empty() ? 1 : w.dims[0];
    const int64_t row_length = c.numel(w) / rows;
    PqWeights pw{};
    pw.dim = cb.dim;
    pw.codeword_count = cb.codeword_count;
    pw.subvectors_per_row = c.u32((row_length + cb.dim - 1) / cb.dim, "sub-vectors per row");
    if (c.int8()) {
      S8Weights sw{};
      sw.pq = pw;
      sw.row_length = c.u32(row_length, "row length");
      return s8_scratch_bytes(conv, cp, sw, budget);
    }
    floats = conv ? conv_pq_scratch_floats(cp, pw) : dense_pq_scratch_floats(dp, pw);
  } else {
    if (c.int8()) {
      const int64_t rows = w.dims.empty() ? 1 : w.dims[0];
      S8Weights sw{};
      sw.values = reinterpret_cast<const int8_t*>(1);  // not read: sizes only
      sw.row_length = c.u32(c.numel(w) / rows, "row length");
      return s8_scratch_bytes(conv, cp, sw, budget);
    }
    floats = conv ? conv_i8w_scratch_floats(cp) : dense_i8w_scratch_floats(dp);
  }
  return floats * 4;
}

}  // namespace yono
