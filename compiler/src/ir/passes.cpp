#include "yono/compiler/ir/passes.h"

#include <algorithm>

namespace yono::ir {
namespace {

using ir::Graph;
using ir::Op;

// Number of ops reading each tensor; graph outputs count as a reader too, so
// a tensor with one use that is a graph output is never rewritten away.
std::vector<int> use_counts(const Graph& g) {
  std::vector<int> uses(g.tensors.size(), 0);
  for (const Op& op : g.ops)
    for (int i : op.inputs) ++uses[static_cast<size_t>(i)];
  for (int o : g.outputs) ++uses[static_cast<size_t>(o)];
  return uses;
}

int producer_of(const Graph& g, int tensor) {
  for (size_t k = 0; k < g.ops.size(); ++k)
    if (g.ops[k].outputs[0] == tensor) return static_cast<int>(k);
  return -1;
}

std::string unique_name(const Graph& g, const std::string& base) {
  std::string name = base;
  for (int k = 1; g.find_tensor(name) >= 0; ++k) name = base + "_" + std::to_string(k);
  return name;
}

int add_constant(Graph& g, const std::string& base, ir::Dims dims, std::vector<float> data) {
  ir::Tensor t;
  t.name = unique_name(g, base);
  t.dims = std::move(dims);
  t.is_constant = true;
  t.data = std::move(data);
  return g.add_tensor(std::move(t));
}

bool is_conv_or_dense(const Op& op) {
  return std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
         std::holds_alternative<ir::DenseAttrs>(op.attrs);
}

ir::Activation& act_of(Op& op) {
  if (auto* c = std::get_if<ir::ConvAttrs>(&op.attrs)) return c->act;
  return std::get<ir::DenseAttrs>(op.attrs).act;
}

// Finds the op producing `tensor` when that op can absorb a follower: its
// output has exactly one use and it has no activation yet. -1 otherwise.
int absorbing_producer(const Graph& g, const std::vector<int>& uses, int tensor) {
  if (uses[static_cast<size_t>(tensor)] != 1) return -1;
  int p = producer_of(g, tensor);
  if (p < 0) return -1;
  return p;
}

// Rewrites Conv/Dense `p` to compute scale[o] * y + shift[o] per output
// channel o, in place of its follower `f`.
void scale_producer(Graph& g, size_t p, size_t f, const std::vector<double>& scale,
                    const std::vector<double>& shift) {
  Op& op = g.ops[p];
  const ir::Tensor& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  size_t out_c = scale.size();
  size_t per_channel = w.data.size() / out_c;
  std::vector<float> w2(w.data.size());
  for (size_t i = 0; i < w.data.size(); ++i)
    w2[i] = static_cast<float>(w.data[i] * scale[i / per_channel]);
  std::vector<float> b2(out_c);
  for (size_t o = 0; o < out_c; ++o) {
    double b = op.inputs.size() == 3 ? g.tensors[static_cast<size_t>(op.inputs[2])].data[o] : 0.0;
    b2[o] = static_cast<float>(b * scale[o] + shift[o]);
  }
  // New tensors: the originals may be shared with other ops.
  ir::Dims wd = w.dims;
  std::string wname = w.name;
  int wi = add_constant(g, wname + "/folded", wd, std::move(w2));
  int bi = add_constant(g, wname + "/folded_bias", {static_cast<int64_t>(out_c)}, std::move(b2));
  Op& prod = g.ops[p];
  prod.inputs.resize(3);
  prod.inputs[1] = wi;
  prod.inputs[2] = bi;
  prod.outputs = g.ops[f].outputs;
  g.ops.erase(g.ops.begin() + static_cast<long>(f));
}

int64_t out_channels(const Graph& g, const Op& op) {
  return g.tensors[static_cast<size_t>(op.inputs[1])].dims[0];
}

// True if constant c broadcasts onto x as one value per channel (dim 1).
bool per_channel_or_scalar(const ir::Dims& c, const ir::Dims& x) {
  if (c.size() > x.size() || x.size() < 2) return false;
  if (ir::element_count(c) == 1) return true;
  ir::Dims aligned(x.size() - c.size(), 1);
  aligned.insert(aligned.end(), c.begin(), c.end());
  for (size_t i = 0; i < aligned.size(); ++i)
    if (aligned[i] != (i == 1 ? x[1] : 1)) return false;
  return true;
}

}  // namespace

void fold_batchnorm(Graph& g) {
  for (size_t f = 0; f < g.ops.size(); ++f) {
    const Op& bn = g.ops[f];
    if (!std::holds_alternative<ir::ChannelAffineAttrs>(bn.attrs)) continue;
    int p = absorbing_producer(g, use_counts(g), bn.inputs[0]);
    if (p < 0 || !is_conv_or_dense(g.ops[static_cast<size_t>(p)]) ||
        !act_of(g.ops[static_cast<size_t>(p)]).is_identity())
      continue;
    const auto& scale = g.tensors[static_cast<size_t>(bn.inputs[1])].data;
    const auto& shift = g.tensors[static_cast<size_t>(bn.inputs[2])].data;
    if (static_cast<int64_t>(scale.size()) != out_channels(g, g.ops[static_cast<size_t>(p)]))
      continue;
    ir::Activation act = std::get<ir::ChannelAffineAttrs>(bn.attrs).act;
    scale_producer(g, static_cast<size_t>(p), f, {scale.begin(), scale.end()},
                   {shift.begin(), shift.end()});
    act_of(g.ops[static_cast<size_t>(p)]) = act;
    --f;
  }
}

void fold_channel_constants(Graph& g) {
  for (size_t f = 0; f < g.ops.size(); ++f) {
    const Op& add = g.ops[f];
    const auto* attrs = std::get_if<ir::BinaryAttrs>(&add.attrs);
    // Only Add, Sub and Mul are affine in x; Div and PRelu are not.
    if (!attrs || attrs->kind == ir::BinaryKind::kDiv || attrs->kind == ir::BinaryKind::kPRelu)
      continue;
    const ir::Tensor& a = g.tensors[static_cast<size_t>(add.inputs[0])];
    const ir::Tensor& b = g.tensors[static_cast<size_t>(add.inputs[1])];
    bool const_b = b.is_constant && !a.is_constant;
    bool const_a = a.is_constant && !b.is_constant;
    // c - x would negate the producer; Add and Mul commute, Sub folds x - c.
    if (!(const_b || (const_a && attrs->kind != ir::BinaryKind::kSub))) continue;
    const ir::Tensor& x = const_b ? a : b;
    const ir::Tensor& c = const_b ? b : a;
    int p = absorbing_producer(g, use_counts(g), const_b ? add.inputs[0] : add.inputs[1]);
    if (p < 0 || !is_conv_or_dense(g.ops[static_cast<size_t>(p)]) ||
        !act_of(g.ops[static_cast<size_t>(p)]).is_identity() ||
        !per_channel_or_scalar(c.dims, x.dims))
      continue;
    auto out_c = static_cast<size_t>(out_channels(g, g.ops[static_cast<size_t>(p)]));
    std::vector<double> shift(out_c, 0.0), scale(out_c, 1.0);
    for (size_t o = 0; o < out_c; ++o) {
      double v = c.data[c.data.size() == 1 ? 0 : o];
      if (attrs->kind == ir::BinaryKind::kMul) scale[o] = v;
      if (attrs->kind == ir::BinaryKind::kAdd) shift[o] = v;
      if (attrs->kind == ir::BinaryKind::kSub) shift[o] = -v;
    }
    ir::Activation act = attrs->act;
    scale_producer(g, static_cast<size_t>(p), f, scale, shift);
    act_of(g.ops[static_cast<size_t>(p)]) = act;
    --f;
  }
}

void fuse_activation(Graph& g) {
  for (size_t f = 0; f < g.ops.size(); ++f) {
    const auto* u = std::get_if<ir::UnaryAttrs>(&g.ops[f].attrs);
    if (!u || (u->kind != ir::UnaryKind::kRelu && u->kind != ir::UnaryKind::kClip)) continue;
    ir::Activation clamp;
    clamp.min = u->kind == ir::UnaryKind::kRelu ? 0.f : u->alpha;
    clamp.max = u->kind == ir::UnaryKind::kRelu ? ir::kNoMax : u->beta;
    int p = absorbing_producer(g, use_counts(g), g.ops[f].inputs[0]);
    if (p < 0) continue;
    Op& prod = g.ops[static_cast<size_t>(p)];
    ir::Activation* act = std::visit(
        [](auto& a) -> ir::Activation* {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, ir::ConvAttrs> || std::is_same_v<T, ir::DenseAttrs> ||
                        std::is_same_v<T, ir::BinaryAttrs> ||
                        std::is_same_v<T, ir::ChannelAffineAttrs>)
            return &a.act;
          return nullptr;
        },
        prod.attrs);
    if (!act) continue;
    // clamp(clamp(x, a, b), c, d) == clamp(x, max(a, c), min(b, d)) when the
    // ranges overlap (e.g. Relu then Clip(0, 6)).
    float lo = std::max(act->min, clamp.min), hi = std::min(act->max, clamp.max);
    if (lo > hi) continue;
    act->min = lo;
    act->max = hi;
    prod.outputs = g.ops[f].outputs;
    g.ops.erase(g.ops.begin() + static_cast<long>(f));
    --f;
  }
}

void remove_dead_ops(Graph& g) {
  std::vector<int> uses = use_counts(g);
  for (size_t k = g.ops.size(); k-- > 0;) {
    if (uses[static_cast<size_t>(g.ops[k].outputs[0])] > 0) continue;
    for (int i : g.ops[k].inputs) --uses[static_cast<size_t>(i)];
    g.ops.erase(g.ops.begin() + static_cast<long>(k));
  }
}

void compact_tensors(Graph& g) {
  std::vector<bool> used(g.tensors.size(), false);
  for (const Op& op : g.ops) {
    for (int i : op.inputs) used[static_cast<size_t>(i)] = true;
    for (int o : op.outputs) used[static_cast<size_t>(o)] = true;
  }
  for (int i : g.inputs) used[static_cast<size_t>(i)] = true;
  for (int o : g.outputs) used[static_cast<size_t>(o)] = true;
  std::vector<int> remap(g.tensors.size(), -1);
  std::vector<ir::Tensor> kept;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(g.tensors[i]));
  }
  g.tensors = std::move(kept);
  auto fix = [&](std::vector<int>& v) {
    for (int& i : v) i = remap[static_cast<size_t>(i)];
  };
  for (Op& op : g.ops) {
    fix(op.inputs);
    fix(op.outputs);
  }
  fix(g.inputs);
  fix(g.outputs);
}

void run_import_passes(Graph& g) {
  fold_batchnorm(g);
  fold_channel_constants(g);
  fuse_activation(g);
  remove_dead_ops(g);
  compact_tensors(g);
}

}  // namespace yono::ir
