#include "yono/compiler/zoo/graph_builder.h"

#include <cmath>
#include <utility>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/op_shape.h"

namespace yono::zoo {

GraphBuilder::GraphBuilder(std::string graph_name, uint64_t seed)
    : rng_state_(seed ^ 0x5EEDB01DFACEull) {
  g_.name = std::move(graph_name);
}

// splitmix64: tiny, well mixed, and identical on every platform (unlike the
// std distributions).
float GraphBuilder::next_uniform() {
  uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<float>(z >> 40) * (1.0f / 16777216.0f);
}

int GraphBuilder::input(const std::string& name, ir::Dims dims) {
  ir::Tensor t;
  t.name = name;
  t.dims = std::move(dims);
  int idx = g_.add_tensor(std::move(t));
  g_.inputs.push_back(idx);
  return idx;
}

int GraphBuilder::constant(const std::string& name, ir::Dims dims, std::vector<float> data) {
  ir::Tensor t;
  t.name = name;
  t.dims = std::move(dims);
  t.is_constant = true;
  t.data = std::move(data);
  return g_.add_tensor(std::move(t));
}

int GraphBuilder::uniform_constant(const std::string& name, ir::Dims dims, float bound) {
  std::vector<float> data(static_cast<size_t>(ir::element_count(dims)));
  for (float& v : data) v = (2.0f * next_uniform() - 1.0f) * bound;
  return constant(name, std::move(dims), std::move(data));
}

int GraphBuilder::emit(const std::string& kind, ir::Attrs attrs, std::vector<int> inputs) {
  ir::Op op;
  op.name = kind + std::to_string(++counter_);
  op.attrs = std::move(attrs);
  op.inputs = std::move(inputs);
  ir::Tensor out;
  out.name = op.name;
  const int t = g_.add_tensor(std::move(out));
  op.outputs = {t};
  g_.tensors[static_cast<size_t>(t)].dims = ir::infer_op_shape(g_, op);
  g_.ops.push_back(std::move(op));
  return t;
}

namespace {
// PyTorch's default Conv/Linear init (kaiming_uniform with a = sqrt(5)) and
// its bias init both come down to U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
float default_bound(int64_t fan_in) {
  return 1.0f / std::sqrt(static_cast<float>(fan_in));
}
}  // namespace

int GraphBuilder::conv2d(int x, int64_t out_channels, int64_t kh, int64_t kw, int64_t stride,
                         int64_t groups, bool bias) {
  if (dims(x).size() != 4) throw Error(g_.name + ": conv2d needs a [1,C,H,W] input");
  ir::ConvAttrs a;
  a.kh = kh;
  a.kw = kw;
  a.stride_h = a.stride_w = stride;
  a.groups = groups;
  a.pad_top = (kh - 1) / 2;
  a.pad_bottom = kh - 1 - a.pad_top;
  a.pad_left = (kw - 1) / 2;
  a.pad_right = kw - 1 - a.pad_left;
  const int64_t in_per_group = channels(x) / groups;
  const float bound = default_bound(in_per_group * kh * kw);
  const std::string base = "conv" + std::to_string(counter_ + 1);
  std::vector<int> inputs = {
      x, uniform_constant(base + "/weight", {out_channels, in_per_group, kh, kw}, bound)};
  if (bias) inputs.push_back(uniform_constant(base + "/bias", {out_channels}, bound));
  return emit("conv", a, std::move(inputs));
}

int GraphBuilder::conv1d(int x, int64_t out_channels, int64_t k, int64_t stride, int64_t groups,
                         bool bias) {
  if (dims(x).size() != 3) throw Error(g_.name + ": conv1d needs a [1,C,L] input");
  ir::ConvAttrs a;
  a.kw = k;
  a.stride_w = stride;
  a.groups = groups;
  a.pad_left = (k - 1) / 2;
  a.pad_right = k - 1 - a.pad_left;
  const int64_t in_per_group = channels(x) / groups;
  const float bound = default_bound(in_per_group * k);
  const std::string base = "conv" + std::to_string(counter_ + 1);
  std::vector<int> inputs = {
      x, uniform_constant(base + "/weight", {out_channels, in_per_group, k}, bound)};
  if (bias) inputs.push_back(uniform_constant(base + "/bias", {out_channels}, bound));
  return emit("conv", a, std::move(inputs));
}

int GraphBuilder::batch_norm(int x) {
  const int64_t c = channels(x);
  const std::string base = "bn" + std::to_string(counter_ + 1);
  int scale = constant(base + "/scale", {c}, std::vector<float>(static_cast<size_t>(c), 1.0f));
  int shift = constant(base + "/shift", {c}, std::vector<float>(static_cast<size_t>(c), 0.0f));
  return emit("bn", ir::ChannelAffineAttrs{}, {x, scale, shift});
}

int GraphBuilder::relu(int x) {
  return emit("relu", ir::UnaryAttrs{}, {x});
}

int GraphBuilder::pool(int x, ir::PoolKind kind, int64_t k, int64_t stride) {
  ir::PoolAttrs a;
  a.kind = kind;
  a.kw = k;
  a.stride_w = stride;
  if (dims(x).size() == 4) {
    a.kh = k;
    a.stride_h = stride;
  }
  return emit(kind == ir::PoolKind::kMax ? "maxpool" : "avgpool", a, {x});
}

int GraphBuilder::max_pool(int x, int64_t k, int64_t stride) {
  return pool(x, ir::PoolKind::kMax, k, stride);
}

int GraphBuilder::avg_pool(int x, int64_t k, int64_t stride) {
  return pool(x, ir::PoolKind::kAverage, k, stride);
}

int GraphBuilder::global_avg_pool(int x) {
  return emit("gap", ir::GlobalPoolAttrs{ir::PoolKind::kAverage, false}, {x});
}

int GraphBuilder::flatten(int x) {
  return emit("flatten", ir::ReshapeAttrs{{1, ir::element_count(dims(x))}}, {x});
}

int GraphBuilder::dense(int x, int64_t out_features, bool bias) {
  const int64_t in = ir::element_count(dims(x));
  const float bound = default_bound(in);
  const std::string base = "dense" + std::to_string(counter_ + 1);
  std::vector<int> inputs = {x, uniform_constant(base + "/weight", {out_features, in}, bound)};
  if (bias) inputs.push_back(uniform_constant(base + "/bias", {out_features}, bound));
  return emit("dense", ir::DenseAttrs{}, std::move(inputs));
}

int GraphBuilder::add(int a, int b) {
  return emit("add", ir::BinaryAttrs{ir::BinaryKind::kAdd, {}}, {a, b});
}

int GraphBuilder::softmax(int x) {
  return emit("softmax", ir::SoftmaxAttrs{static_cast<int64_t>(dims(x).size()) - 1}, {x});
}

ir::Graph GraphBuilder::finish(const std::vector<int>& outputs) {
  g_.outputs = outputs;
  ir::infer_shapes(g_);
  ir::validate(g_);
  return g_;
}

}  // namespace yono::zoo
