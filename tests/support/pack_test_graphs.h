// Hand-built IR graphs covering every op type, plus a naive double-precision
// interpreter of the IR used as the reference the packed runtime must match.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/quantize/quantize_models.h"
#include "yono/half_float.h"
#include "yono/pack.h"

namespace yono::test {

inline std::vector<float> seeded_values(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

struct GraphBuilder {
  ir::Graph g;
  uint32_t seed = 1;

  int act(const std::string& name, ir::Dims dims) {
    ir::Tensor t;
    t.name = name;
    t.dims = std::move(dims);
    return g.add_tensor(std::move(t));
  }
  int constant(const std::string& name, ir::Dims dims) {
    ir::Tensor t;
    t.name = name;
    t.is_constant = true;
    t.data = seeded_values(ir::element_count(dims), seed++);
    t.dims = std::move(dims);
    return g.add_tensor(std::move(t));
  }
  int op(const std::string& name, ir::Attrs attrs, std::vector<int> inputs, int output) {
    ir::Op o;
    o.name = name;
    o.attrs = std::move(attrs);
    o.inputs = std::move(inputs);
    o.outputs = {output};
    g.ops.push_back(std::move(o));
    return output;
  }
};

// 2-D image model: Conv(+bias, fused ReLU) -> MaxPool -> ChannelAffine ->
// GlobalPool -> Reshape -> Dense -> Softmax.
inline ir::Graph image_model(const std::string& name) {
  GraphBuilder b;
  b.g.name = name;
  const int x = b.act("x", {1, 2, 6, 6});
  ir::ConvAttrs conv;
  conv.kh = conv.kw = 3;
  conv.pad_top = conv.pad_left = conv.pad_bottom = conv.pad_right = 1;
  conv.act.min = 0.0f;
  int t = b.op("conv", conv, {x, b.constant("w", {4, 2, 3, 3}), b.constant("bias", {4})},
               b.act("c", {1, 4, 6, 6}));
  ir::PoolAttrs pool;
  pool.kh = pool.kw = pool.stride_h = pool.stride_w = 2;
  t = b.op("pool", pool, {t}, b.act("p", {1, 4, 3, 3}));
  t = b.op("affine", ir::ChannelAffineAttrs{},
           {t, b.constant("scale", {4}), b.constant("shift", {4})}, b.act("a", {1, 4, 3, 3}));
  t = b.op("gap", ir::GlobalPoolAttrs{}, {t}, b.act("g", {1, 4, 1, 1}));
  t = b.op("flat", ir::ReshapeAttrs{{1, 4}}, {t}, b.act("f", {1, 4}));
  t = b.op("fc", ir::DenseAttrs{}, {t, b.constant("fw", {3, 4}), b.constant("fb", {3})},
           b.act("d", {1, 3}));
  ir::SoftmaxAttrs sm;
  sm.axis = 1;
  t = b.op("softmax", sm, {t}, b.act("y", {1, 3}));
  b.g.inputs = {x};
  b.g.outputs = {t};
  return b.g;
}

// 1-D signal model with a residual Add, Pad, Concat, Unary and broadcasts.
inline ir::Graph signal_model(const std::string& name) {
  GraphBuilder b;
  b.seed = 100;
  b.g.name = name;
  const int x = b.act("x", {1, 3, 8});
  ir::ConvAttrs conv;
  conv.kw = 3;
  conv.pad_left = conv.pad_right = 1;
  int c = b.op("conv1d", conv, {x, b.constant("w", {3, 3, 3})}, b.act("c", {1, 3, 8}));
  ir::BinaryAttrs add;
  add.act.max = 0.5f;
  int r = b.op("residual", add, {c, x}, b.act("r", {1, 3, 8}));
  ir::UnaryAttrs sig;
  sig.kind = ir::UnaryKind::kSigmoid;
  int s = b.op("sigmoid", sig, {r}, b.act("s", {1, 3, 8}));
  ir::PadAttrs pad;
  pad.pad_left = 1;
  pad.pad_right = 2;
  pad.value = -0.25f;
  int p = b.op("pad", pad, {s}, b.act("p", {1, 3, 11}));
  ir::UnaryAttrs th;
  th.kind = ir::UnaryKind::kTanh;
  int q = b.op("tanh", th, {r}, b.act("q", {1, 3, 8}));
  ir::PadAttrs pad2;
  pad2.pad_right = 3;
  q = b.op("pad2", pad2, {q}, b.act("q2", {1, 3, 11}));
  ir::ConcatAttrs cat;
  cat.axis = 1;
  int k = b.op("concat", cat, {p, q, p}, b.act("k", {1, 9, 11}));
  ir::BinaryAttrs mul;
  mul.kind = ir::BinaryKind::kMul;
  int m = b.op("scale", mul, {k, b.constant("scalar", {1})}, b.act("m", {1, 9, 11}));
  ir::BinaryAttrs sub;
  sub.kind = ir::BinaryKind::kSub;
  int y = b.op("bias", sub, {b.constant("per_channel", {1, 9, 1}), m}, b.act("y", {1, 9, 11}));
  ir::PoolAttrs avg;
  avg.kind = ir::PoolKind::kAverage;
  avg.kw = 3;
  avg.stride_w = 2;
  avg.pad_left = avg.pad_right = 1;
  int z = b.op("avgpool", avg, {y}, b.act("z", {1, 9, 6}));
  b.g.inputs = {x};
  b.g.outputs = {z, r};
  return b.g;
}

// ---- Reference interpreter (double precision, straightforward loops) ----

using Values = std::vector<std::vector<double>>;

inline double clampd(double v, const ir::Activation& a) {
  return std::min(std::max(v, static_cast<double>(a.min)), static_cast<double>(a.max));
}

inline void ref_window_op(const ir::Graph& g, const ir::Op& op, Values& v) {
  const auto& xd = g.tensors[op.inputs[0]].dims;
  const auto& yd = g.tensors[op.outputs[0]].dims;
  const bool one_d = xd.size() == 3;
  const int64_t C = xd[1], H = one_d ? 1 : xd[2], W = xd.back();
  const int64_t OC = yd[1], OH = one_d ? 1 : yd[2], OW = yd.back();
  const auto& x = v[op.inputs[0]];
  auto& y = v[op.outputs[0]];
  y.assign(static_cast<size_t>(OC * OH * OW), 0.0);
  if (auto* a = std::get_if<ir::ConvAttrs>(&op.attrs)) {
    const int64_t KH = one_d ? 1 : a->kh, KW = a->kw, G = a->groups;
    const int64_t sh = one_d ? 1 : a->stride_h, dh = one_d ? 1 : a->dilation_h;
    const int64_t pt = one_d ? 0 : a->pad_top;
    const auto& w = g.tensors[op.inputs[1]].data;
    for (int64_t oc = 0; oc < OC; ++oc)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double acc = op.inputs.size() > 2 ? g.tensors[op.inputs[2]].data[oc] : 0.0;
          const int64_t icpg = C / G, g0 = oc / (OC / G) * icpg;
          for (int64_t ic = 0; ic < icpg; ++ic)
            for (int64_t ky = 0; ky < KH; ++ky)
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t iy = oy * sh - pt + ky * dh;
                const int64_t ix = ox * a->stride_w - a->pad_left + kx * a->dilation_w;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                acc += x[((g0 + ic) * H + iy) * W + ix] * w[((oc * icpg + ic) * KH + ky) * KW + kx];
              }
          y[(oc * OH + oy) * OW + ox] = clampd(acc, a->act);
        }
    return;
  }
  const auto& a = std::get<ir::PoolAttrs>(op.attrs);
  const int64_t KH = one_d ? 1 : a.kh, sh = one_d ? 1 : a.stride_h, pt = one_d ? 0 : a.pad_top;
  for (int64_t c = 0; c < C; ++c)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox) {
        double best = -INFINITY, sum = 0.0;
        int valid = 0;
        for (int64_t ky = 0; ky < KH; ++ky)
          for (int64_t kx = 0; kx < a.kw; ++kx) {
            const int64_t iy = oy * sh - pt + ky, ix = ox * a.stride_w - a.pad_left + kx;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            const double val = x[(c * H + iy) * W + ix];
            best = std::max(best, val);
            sum += val;
            ++valid;
          }
        y[(c * OH + oy) * OW + ox] = a.kind == ir::PoolKind::kMax ? best : sum / valid;
      }
}

inline void ref_op(const ir::Graph& g, const ir::Op& op, Values& v) {
  auto in = [&](size_t i) -> const std::vector<double>& { return v[op.inputs[i]]; };
  auto& y = v[op.outputs[0]];
  const auto& xd = g.tensors[op.inputs[0]].dims;
  if (std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
      std::holds_alternative<ir::PoolAttrs>(op.attrs)) {
    ref_window_op(g, op, v);
  } else if (auto* d = std::get_if<ir::DenseAttrs>(&op.attrs)) {
    const auto& wd = g.tensors[op.inputs[1]].dims;
    y.assign(static_cast<size_t>(wd[0]), 0.0);
    for (int64_t o = 0; o < wd[0]; ++o) {
      double acc = op.inputs.size() > 2 ? in(2)[o] : 0.0;
      for (int64_t i = 0; i < wd[1]; ++i) acc += in(0)[i] * in(1)[o * wd[1] + i];
      y[o] = clampd(acc, d->act);
    }
  } else if (auto* gp = std::get_if<ir::GlobalPoolAttrs>(&op.attrs)) {
    const int64_t C = xd[1], S = ir::element_count(xd) / C;
    y.assign(static_cast<size_t>(C), 0.0);
    for (int64_t c = 0; c < C; ++c) {
      double best = -INFINITY, sum = 0.0;
      for (int64_t s = 0; s < S; ++s) {
        best = std::max(best, in(0)[c * S + s]);
        sum += in(0)[c * S + s];
      }
      y[c] = gp->kind == ir::PoolKind::kMax ? best : sum / S;
    }
  } else if (auto* u = std::get_if<ir::UnaryAttrs>(&op.attrs)) {
    y = in(0);
    for (double& e : y) {
      switch (u->kind) {
        case ir::UnaryKind::kRelu: e = std::max(e, 0.0); break;
        case ir::UnaryKind::kSigmoid: e = 1.0 / (1.0 + std::exp(-e)); break;
        case ir::UnaryKind::kTanh: e = std::tanh(e); break;
        default: e = NAN;  // not used by these graphs
      }
    }
  } else if (auto* bn = std::get_if<ir::BinaryAttrs>(&op.attrs)) {
    const auto& a = in(0);
    const auto& b = in(1);
    const auto& yd = g.tensors[op.outputs[0]].dims;
    const int64_t n = ir::element_count(yd), C = yd[1], inner = n / C;
    // Broadcast by numpy rules restricted to the shapes the graphs use.
    auto at = [&](const std::vector<double>& t, int64_t i) {
      if (t.size() == 1) return t[0];
      if (static_cast<int64_t>(t.size()) == n) return t[i];
      return t[i / inner];  // per-channel
    };
    y.assign(static_cast<size_t>(n), 0.0);
    for (int64_t i = 0; i < n; ++i) {
      const double l = at(a, i), r = at(b, i);
      const double res = bn->kind == ir::BinaryKind::kAdd   ? l + r
                         : bn->kind == ir::BinaryKind::kSub ? l - r
                                                            : l * r;
      y[i] = clampd(res, bn->act);
    }
  } else if (auto* ca = std::get_if<ir::ChannelAffineAttrs>(&op.attrs)) {
    const int64_t C = xd[1], inner = ir::element_count(xd) / C;
    y = in(0);
    for (int64_t i = 0; i < C * inner; ++i)
      y[i] = clampd(y[i] * in(1)[i / inner] + in(2)[i / inner], ca->act);
  } else if (auto* cat = std::get_if<ir::ConcatAttrs>(&op.attrs)) {
    int64_t outer = 1;
    for (int64_t k = 0; k < cat->axis; ++k) outer *= xd[k];
    y.clear();
    for (int64_t row = 0; row < outer; ++row)
      for (size_t i = 0; i < op.inputs.size(); ++i) {
        const int64_t chunk = static_cast<int64_t>(in(i).size()) / outer;
        y.insert(y.end(), in(i).begin() + row * chunk, in(i).begin() + (row + 1) * chunk);
      }
  } else if (auto* sm = std::get_if<ir::SoftmaxAttrs>(&op.attrs)) {
    int64_t outer = 1, inner = 1;
    for (int64_t k = 0; k < sm->axis; ++k) outer *= xd[k];
    for (size_t k = sm->axis + 1; k < xd.size(); ++k) inner *= xd[k];
    const int64_t len = xd[sm->axis];
    y = in(0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < inner; ++j) {
        double sum = 0.0;
        for (int64_t k = 0; k < len; ++k) sum += std::exp(in(0)[(o * len + k) * inner + j]);
        for (int64_t k = 0; k < len; ++k)
          y[(o * len + k) * inner + j] = std::exp(in(0)[(o * len + k) * inner + j]) / sum;
      }
  } else if (auto* pd = std::get_if<ir::PadAttrs>(&op.attrs)) {
    const bool one_d = xd.size() == 3;
    const int64_t C = xd[1], H = one_d ? 1 : xd[2], W = xd.back();
    const int64_t OH = H + pd->pad_top + pd->pad_bottom, OW = W + pd->pad_left + pd->pad_right;
    y.assign(static_cast<size_t>(C * OH * OW), pd->value);
    for (int64_t c = 0; c < C; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          y[(c * OH + h + pd->pad_top) * OW + w + pd->pad_left] = in(0)[(c * H + h) * W + w];
  } else {  // Reshape
    y = in(0);
  }
}

// Runs the graph on `inputs` (one vector per graph input) and returns the
// values of every tensor.
inline Values reference_run(const ir::Graph& g, const std::vector<std::vector<float>>& inputs) {
  Values v(g.tensors.size());
  for (size_t i = 0; i < g.tensors.size(); ++i)
    if (g.tensors[i].is_constant) v[i].assign(g.tensors[i].data.begin(), g.tensors[i].data.end());
  for (size_t i = 0; i < g.inputs.size(); ++i)
    v[g.inputs[i]].assign(inputs[i].begin(), inputs[i].end());
  for (const ir::Op& op : g.ops) ref_op(g, op, v);
  return v;
}

// ---- v2: encoded weights ----

// Random centroids already rounded to `dtype`, as the compressor stores them:
// f16 values are multiples of 2^-10 in [-1, 1] (exact in binary16); i8 values
// are q * step with |q| <= 127 and one centroid at exactly 127 * step.
inline ir::Codebook random_codebook(const std::string& name, uint32_t k, uint32_t dim,
                                    ir::CodebookDType dtype, uint32_t seed) {
  std::mt19937 rng(seed);
  ir::Codebook c;
  c.name = name;
  c.codeword_count = k;
  c.dim = dim;
  c.dtype = dtype;
  c.centroids.resize(static_cast<size_t>(k) * dim);
  std::uniform_real_distribution<float> f32(-1.0f, 1.0f);
  std::uniform_int_distribution<int> f16(-1024, 1024);
  std::uniform_int_distribution<int> i8(-127, 127);
  const float step = 0.0123f;
  for (float& v : c.centroids) {
    switch (dtype) {
      case ir::CodebookDType::kF32: v = f32(rng); break;
      case ir::CodebookDType::kF16: v = static_cast<float>(f16(rng)) / 1024.0f; break;
      case ir::CodebookDType::kI8: v = static_cast<float>(i8(rng)) * step; break;
      case ir::CodebookDType::kI16: v = static_cast<float>(i8(rng)) * step; break;
    }
  }
  if (dtype == ir::CodebookDType::kI8) c.centroids[0] = -127.0f * step;
  if (dtype == ir::CodebookDType::kI16) c.value_scale = step;
  return c;
}

// Replaces constant `t`'s values with PQ codes into `cb` (index `cb_index`):
// random codes and per-row scales, data = the decoded weights, formed as
// the runtime does (scale * codeword value).
// A random scale as `dtype` stores it exactly (kF16: rounded to binary16).
inline float stored_scale(float s, ir::ScaleDType dtype) {
  return dtype == ir::ScaleDType::kF16 ? half_to_float(float_to_half(s)) : s;
}

inline void pq_encode(ir::Tensor& t, const ir::Codebook& cb, int cb_index, uint32_t seed,
                      ir::ScaleDType scales = ir::ScaleDType::kF32) {
  std::mt19937 rng(seed);
  const int64_t rows = t.dims[0];
  const int64_t row_len = ir::element_count(t.dims) / rows;
  const int64_t spr = (row_len + cb.dim - 1) / cb.dim;
  ir::PqEncoding e;
  e.codebook = cb_index;
  std::uniform_int_distribution<uint32_t> code(0, cb.codeword_count - 1);
  std::uniform_real_distribution<float> scale(0.25f, 1.5f);
  for (int64_t i = 0; i < rows * spr; ++i) e.codes.push_back(code(rng));
  for (int64_t r = 0; r < rows; ++r) e.scales.push_back(stored_scale(scale(rng), scales));
  e.scale_dtype = scales;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < row_len; ++j) {
      const uint32_t c = e.codes[static_cast<size_t>(r * spr + j / cb.dim)];
      t.data[static_cast<size_t>(r * row_len + j)] =
          e.scales[static_cast<size_t>(r)] *
          cb.centroids[static_cast<size_t>(c) * cb.dim + static_cast<size_t>(j % cb.dim)];
    }
  t.encoding = std::move(e);
}

inline void i8_encode(ir::Tensor& t, uint32_t seed, ir::ScaleDType scales = ir::ScaleDType::kF32) {
  std::mt19937 rng(seed);
  const int64_t rows = t.dims[0];
  const int64_t row_len = ir::element_count(t.dims) / rows;
  ir::Int8Encoding e;
  std::uniform_int_distribution<int> value(-127, 127);
  std::uniform_real_distribution<float> scale(0.001f, 0.02f);
  for (int64_t r = 0; r < rows; ++r) e.scales.push_back(stored_scale(scale(rng), scales));
  e.scale_dtype = scales;
  for (int64_t i = 0; i < rows * row_len; ++i) e.values.push_back(static_cast<int8_t>(value(rng)));
  for (int64_t i = 0; i < rows * row_len; ++i)
    t.data[static_cast<size_t>(i)] = e.scales[static_cast<size_t>(i / row_len)] *
                                     static_cast<float>(e.values[static_cast<size_t>(i)]);
  t.encoding = std::move(e);
}

// The same graph with every encoding dropped: plain floats of the decoded data.
inline ir::Graph strip_encodings(ir::Graph g) {
  for (ir::Tensor& t : g.tensors) {
    t.encoding = std::monostate{};
    t.stored = ir::FloatDType::kF32;
  }
  return g;
}

// One weighted layer (+ bias, fused ReLU on the convs) per kind; the weight
// tensor is index 1 of the only op.
enum class LayerKind { kConv1d, kConv2d, kDepthwise, kDense };

inline ir::Graph layer_model(const std::string& name, LayerKind kind, uint32_t seed) {
  GraphBuilder b;
  b.g.name = name;
  b.seed = seed;
  int y = -1, x = -1;
  if (kind == LayerKind::kDense) {
    x = b.act("x", {1, 21});
    y = b.op("fc", ir::DenseAttrs{}, {x, b.constant("w", {6, 21}), b.constant("b", {6})},
             b.act("y", {1, 6}));
  } else if (kind == LayerKind::kConv1d) {
    x = b.act("x", {1, 3, 12});
    ir::ConvAttrs a;
    a.kw = 3;
    a.pad_left = a.pad_right = 1;
    a.stride_w = 2;
    a.act.min = 0.0f;
    y = b.op("conv1d", a, {x, b.constant("w", {5, 3, 3}), b.constant("b", {5})},
             b.act("y", {1, 5, 6}));
  } else {
    const bool dw = kind == LayerKind::kDepthwise;
    x = b.act("x", {1, 4, 7, 7});
    ir::ConvAttrs a;
    a.kh = a.kw = 3;
    a.pad_top = a.pad_left = a.pad_bottom = a.pad_right = 1;
    a.groups = dw ? 4 : 1;
    a.act.min = 0.0f;
    y = b.op(dw ? "dwconv" : "conv2d", a,
             {x, b.constant("w", {dw ? 4 : 6, dw ? 1 : 4, 3, 3}), b.constant("b", {dw ? 4 : 6})},
             b.act("y", {1, dw ? 4 : 6, 7, 7}));
  }
  b.g.inputs = {x};
  b.g.outputs = {y};
  return b.g;
}

inline ir::Tensor& weight_of(ir::Graph& g) {
  return g.tensors[static_cast<size_t>(g.ops[0].inputs[1])];
}

// Int8 activations: model 0 the image model, model 1 the signal model,
// model 2 a PQ conv whose f16 codebook became int16 lanes (codebook 0); each
// calibrated on 16 seeded inputs. The image model's ChannelAffine and
// Softmax, the signal model's Pad, Concat, Mul and Sub stay f32 between
// Converts.
struct Int8Models {
  std::vector<ir::Graph> models;
  std::vector<ir::Codebook> codebooks;
};

inline Int8Models int8_models() {
  Int8Models m;
  m.codebooks = {random_codebook("half", 16, 9, ir::CodebookDType::kF16, 2)};
  auto conv = layer_model("pqconv", LayerKind::kConv2d, 5);
  pq_encode(weight_of(conv), m.codebooks[0], 0, 6);
  m.models = {image_model("image"), signal_model("signal"), conv};
  std::vector<std::vector<std::vector<float>>> inputs(m.models.size());
  std::vector<std::vector<const float*>> samples(m.models.size());
  for (size_t k = 0; k < m.models.size(); ++k) {
    const int64_t n = ir::element_count(m.models[k].tensors[m.models[k].inputs[0]].dims);
    for (uint32_t i = 0; i < 16; ++i) inputs[k].push_back(seeded_values(n, 40 + i));
    for (const auto& x : inputs[k]) samples[k].push_back(x.data());
  }
  quantize::quantize_models(m.models, m.codebooks, samples);
  return m;
}

// A pack opened in place from a 16-byte aligned copy of `bytes`, as it sits
// in flash; status is the reader's verdict.
struct OpenedPack {
  explicit OpenedPack(const std::vector<uint8_t>& bytes) : buf(bytes) {
    status = Pack::open(buf.data(), buf.size(), &pack);
  }
  AlignedBuffer buf;
  Pack pack;
  Status status = Status::kOk;
};

}  // namespace yono::test
