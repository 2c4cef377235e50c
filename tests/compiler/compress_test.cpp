// compress_models on small hand-built graphs: which layers land in which
// group and codebook, keep rules, the baselines' guarantees, codebook dtype
// rounding, determinism and every option error.
#include "yono/compiler/compress/compress.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <variant>

#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/error.h"

namespace yono {
namespace {

std::vector<float> gaussian(int64_t n, uint32_t seed, float sigma) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.f, sigma);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

// Shapes only matter to compress_models, so activations are left unshaped.
struct Builder {
  ir::Graph g;
  uint32_t seed;
  int last = -1;

  int weight(const std::string& name, ir::Dims dims, float sigma = 0.1f) {
    ir::Tensor t;
    t.name = name;
    t.is_constant = true;
    t.data = gaussian(ir::element_count(dims), seed++, sigma);
    t.dims = std::move(dims);
    return g.add_tensor(std::move(t));
  }
  void op(const std::string& name, ir::Attrs attrs, std::vector<int> consts) {
    ir::Tensor out;
    out.name = name + "_out";
    const int y = g.add_tensor(out);
    ir::Op o;
    o.name = name;
    o.attrs = std::move(attrs);
    o.inputs = {last};
    o.inputs.insert(o.inputs.end(), consts.begin(), consts.end());
    o.outputs = {y};
    g.ops.push_back(std::move(o));
    last = y;
  }
  void conv(const std::string& name, ir::Dims w, int64_t kh, int64_t kw, int64_t groups = 1) {
    ir::ConvAttrs a;
    a.kh = kh;
    a.kw = kw;
    a.groups = groups;
    const int64_t out = w[0];
    op(name, a, {weight(name + ".weight", std::move(w)), weight(name + ".bias", {out})});
  }
};

// conv3x3 (4608 weights), conv1d k=5 (640), 3x3 conv (2304), 1x1 (1024),
// depthwise 3x3 (288), dense (5120). Weight scales differ per model.
ir::Graph test_model(const std::string& name, uint32_t seed) {
  Builder b{{}, seed};
  b.g.name = name;
  ir::Tensor x;
  x.name = "x";
  b.last = b.g.add_tensor(x);
  b.g.inputs = {b.last};
  b.conv("conv1", {32, 16, 3, 3}, 3, 3);
  b.conv("conv1d", {16, 8, 5}, 1, 5);
  b.conv("conv2", {16, 16, 3, 3}, 3, 3);
  b.conv("pw", {32, 32, 1, 1}, 1, 1);
  b.conv("dw", {32, 1, 3, 3}, 3, 3, 32);
  b.op("fc", ir::DenseAttrs{}, {b.weight("fc.weight", {10, 512}, 0.02f * (1 + seed % 3))});
  b.g.outputs = {b.last};
  return b.g;
}

const ir::Tensor& weight_of(const ir::Graph& g, const std::string& op_name) {
  for (const ir::Op& op : g.ops) {
    if (op.name == op_name) return g.tensors[op.inputs[1]];
  }
  throw std::runtime_error("no op " + op_name);
}

const ir::PqEncoding& pq_of(const ir::Graph& g, const std::string& op_name) {
  return std::get<ir::PqEncoding>(weight_of(g, op_name).encoding);
}

uint32_t rows_of(const ir::Tensor& t) {
  return static_cast<uint32_t>(t.dims[0]);
}
uint32_t row_len_of(const ir::Tensor& t) {
  return static_cast<uint32_t>(ir::element_count(t.dims) / t.dims[0]);
}

CompressOptions no_keep() {
  CompressOptions o;
  o.keep_min_weights = 0;
  return o;
}

std::vector<ir::Graph> two_models() {
  return {test_model("a", 1), test_model("b", 50)};
}

// Every encoded tensor's data must be exactly what its encoding decodes to.
void expect_data_matches_encoding(const CompressedModels& c) {
  for (const ir::Graph& g : c.models) {
    for (const ir::Tensor& t : g.tensors) {
      if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
        ASSERT_GE(pq->codebook, 0);
        ASSERT_LT(static_cast<size_t>(pq->codebook), c.codebooks.size());
        const ir::Codebook& cb = c.codebooks[static_cast<size_t>(pq->codebook)];
        EXPECT_EQ(cb.centroids.size(), size_t{cb.dim} * cb.codeword_count);
        EXPECT_EQ(reconstruct_rows(cb.centroids, cb.dim, pq->codes, pq->scales, rows_of(t),
                                   row_len_of(t)),
                  t.data)
            << g.name << "/" << t.name;
      } else if (const auto* i8 = std::get_if<ir::Int8Encoding>(&t.encoding)) {
        const uint32_t len = row_len_of(t);
        ASSERT_EQ(i8->values.size(), t.data.size());
        for (size_t j = 0; j < t.data.size(); ++j) {
          EXPECT_EQ(t.data[j], i8->scales[j / len] * static_cast<float>(i8->values[j]));
        }
      }
    }
  }
}

double squared_error(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  return s;
}

double energy(const std::vector<float>& a) {
  return squared_error(a, std::vector<float>(a.size()));
}

TEST(Compress, GroupsAndDefaultDims) {
  const std::vector<ir::Graph> original = two_models();
  const CompressedModels c = compress_models(original, no_keep());
  ASSERT_EQ(c.codebooks.size(), 2u);
  std::map<std::string, const ir::Codebook*> by_name;
  for (const ir::Codebook& cb : c.codebooks) by_name[cb.name] = &cb;
  ASSERT_TRUE(by_name.count("shared/kxk"));
  ASSERT_TRUE(by_name.count("shared/pointwise"));
  EXPECT_EQ(by_name["shared/kxk"]->dim, 9u);  // two 3x3 layers beat one k=5 layer
  EXPECT_EQ(by_name["shared/pointwise"]->dim, 4u);
  EXPECT_EQ(by_name["shared/kxk"]->codeword_count, kDefaultCodewords);

  for (const ir::Graph& g : c.models) {
    const auto kxk = &c.codebooks[pq_of(g, "conv1").codebook];
    EXPECT_EQ(kxk->name, "shared/kxk");
    EXPECT_EQ(&c.codebooks[pq_of(g, "conv2").codebook], kxk);
    EXPECT_EQ(&c.codebooks[pq_of(g, "conv1d").codebook], kxk);  // 1-D k=5: kxk
    for (const char* pointwise : {"pw", "dw", "fc"}) {
      EXPECT_EQ(c.codebooks[pq_of(g, pointwise).codebook].name, "shared/pointwise") << pointwise;
    }
    // conv1d rows of 40 weights cut at D = 9: four full sub-vectors and a padded tail.
    EXPECT_EQ(pq_of(g, "conv1d").codes.size(), 16u * 5);
    EXPECT_EQ(pq_of(g, "dw").codes.size(), 32u * 3);  // rows of 9 at D = 4
    EXPECT_EQ(pq_of(g, "fc").scales.size(), 10u);
    // Biases stay float.
    for (const ir::Tensor& t : g.tensors) {
      if (t.name.find(".bias") != std::string::npos) {
        EXPECT_TRUE(std::holds_alternative<std::monostate>(t.encoding)) << t.name;
      }
    }
  }
  expect_data_matches_encoding(c);
  // A working quantizer keeps most of the signal.
  for (size_t m = 0; m < 2; ++m) {
    for (const char* layer : {"conv1", "pw", "fc"}) {
      const auto& before = weight_of(original[m], layer).data;
      EXPECT_LT(squared_error(before, weight_of(c.models[m], layer).data), 0.5 * energy(before))
          << layer;
    }
  }
}

TEST(Compress, GroupSpecificDimAndCodewords) {
  CompressOptions o = no_keep();
  o.dim = parse_group_values({"8", "kxk=3"}, "--dim");
  o.codewords = parse_group_values({"pointwise=64", "32"}, "--codewords");
  const CompressedModels c = compress_models(two_models(), o);
  for (const ir::Codebook& cb : c.codebooks) {
    if (cb.name == "shared/kxk") {
      EXPECT_EQ(cb.dim, 3u);
      EXPECT_EQ(cb.codeword_count, 32u);
    } else {
      EXPECT_EQ(cb.dim, 8u);
      EXPECT_EQ(cb.codeword_count, 64u);
    }
  }
}

TEST(Compress, DefaultKeepsSmallLayersAsInt8) {
  const CompressedModels c = compress_models(two_models(), CompressOptions{});
  for (const ir::Graph& g : c.models) {
    EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(weight_of(g, "dw").encoding));  // 288
    EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(weight_of(g, "conv1d").encoding));
    EXPECT_TRUE(std::holds_alternative<ir::PqEncoding>(weight_of(g, "pw").encoding));  // 1024
    EXPECT_TRUE(std::holds_alternative<ir::PqEncoding>(weight_of(g, "conv1").encoding));
  }
  // With the 3x3-only kxk group, k=5 no longer votes; D stays 9.
  for (const ir::Codebook& cb : c.codebooks) {
    if (cb.name == "shared/kxk") {
      EXPECT_EQ(cb.dim, 9u);
    }
  }
  expect_data_matches_encoding(c);
}

TEST(Compress, KeepRules) {
  CompressOptions o = no_keep();
  o.keep_layers = {"conv2", "fc.weight"};  // an op name and a tensor name
  o.keep_first = true;
  o.keep_dtype = KeepDType::kF32;
  const std::vector<ir::Graph> original = two_models();
  const CompressedModels c = compress_models(original, o);
  for (size_t m = 0; m < 2; ++m) {
    for (const char* kept : {"conv1", "conv2", "fc"}) {
      const ir::Tensor& t = weight_of(c.models[m], kept);
      EXPECT_TRUE(std::holds_alternative<std::monostate>(t.encoding)) << kept;
      EXPECT_EQ(t.data, weight_of(original[m], kept).data) << kept;
    }
    EXPECT_TRUE(std::holds_alternative<ir::PqEncoding>(weight_of(c.models[m], "pw").encoding));
  }

  CompressOptions last = no_keep();
  last.keep_last = true;
  const CompressedModels l = compress_models(two_models(), last);
  for (const ir::Graph& g : l.models) {
    EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(weight_of(g, "fc").encoding));
    EXPECT_TRUE(std::holds_alternative<ir::PqEncoding>(weight_of(g, "conv1").encoding));
  }
  // pw and dw still fill the pointwise codebook.
  EXPECT_EQ(l.codebooks.size(), 2u);
}

TEST(Compress, LayerDimGetsItsOwnSharedCodebook) {
  CompressOptions o = no_keep();
  o.layer_dims = parse_layer_dims({"conv2=3", "pw.weight=8"});  // an op and a tensor name
  const CompressedModels c = compress_models(two_models(), o);
  std::map<std::string, const ir::Codebook*> by_name;
  for (const ir::Codebook& cb : c.codebooks) by_name[cb.name] = &cb;
  ASSERT_EQ(by_name.count("shared/kxk/d3"), 1u);
  ASSERT_EQ(by_name.count("shared/pointwise/d8"), 1u);
  EXPECT_EQ(by_name["shared/kxk/d3"]->dim, 3u);
  EXPECT_EQ(by_name["shared/pointwise/d8"]->dim, 8u);
  EXPECT_EQ(by_name["shared/kxk"]->dim, 9u);
  EXPECT_EQ(c.codebooks.size(), 4u);
  // Both models' conv2 use the one D=3 codebook; conv1 stays in the group's.
  const int d3 = pq_of(c.models[0], "conv2").codebook;
  EXPECT_EQ(c.codebooks[static_cast<size_t>(d3)].name, "shared/kxk/d3");
  EXPECT_EQ(pq_of(c.models[1], "conv2").codebook, d3);
  EXPECT_EQ(c.codebooks[static_cast<size_t>(pq_of(c.models[0], "conv1").codebook)].name,
            "shared/kxk");
  // 144 weights per row in 3-weight sub-vectors.
  EXPECT_EQ(pq_of(c.models[0], "conv2").codes.size(), 16u * 48u);
  expect_data_matches_encoding(c);
  EXPECT_EQ(by_name["shared/kxk/d3"]->codeword_count, 256u);

  // --codewords kxk/d3=16 sets that codebook's K alone.
  o.codewords = parse_group_values({"kxk/d3=16", "kxk=128"}, "--codewords");
  const CompressedModels k16 = compress_models(two_models(), o);
  for (const ir::Codebook& cb : k16.codebooks) {
    const uint32_t want = cb.name == "shared/kxk/d3" ? 16u : cb.name == "shared/kxk" ? 128u : 256u;
    EXPECT_EQ(cb.codeword_count, want) << cb.name;
  }
  for (uint32_t code : pq_of(k16.models[1], "conv2").codes) EXPECT_LT(code, 16u);
  expect_data_matches_encoding(k16);
}

TEST(Compress, LayerDimForOneModelsLayer) {
  CompressOptions o = no_keep();
  o.layer_dims = parse_layer_dims({"b/conv2=3"});
  const CompressedModels c = compress_models(two_models(), o);
  EXPECT_EQ(c.codebooks[static_cast<size_t>(pq_of(c.models[1], "conv2").codebook)].dim, 3u);
  EXPECT_EQ(c.codebooks[static_cast<size_t>(pq_of(c.models[0], "conv2").codebook)].dim, 9u);
}

TEST(Compress, LayerDimQuantizesALayerKeptOnlyForItsSize) {
  CompressOptions o;
  o.keep_min_weights = 1 << 30;  // every layer is "small"
  o.layer_dims = parse_layer_dims({"a/conv2=3"});
  const CompressedModels c = compress_models(two_models(), o);
  ASSERT_EQ(c.codebooks.size(), 1u);
  EXPECT_EQ(c.codebooks[static_cast<size_t>(pq_of(c.models[0], "conv2").codebook)].dim, 3u);
  // A D equal to the group's joins the group's codebook instead of a copy of it.
  o.layer_dims = parse_layer_dims({"a/conv2=9", "b/conv2=3"});
  const CompressedModels joined = compress_models(two_models(), o);
  ASSERT_EQ(joined.codebooks.size(), 2u);
  EXPECT_EQ(joined.codebooks[static_cast<size_t>(pq_of(joined.models[0], "conv2").codebook)].name,
            "shared/kxk");
  EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(weight_of(c.models[1], "conv2").encoding));
  EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(weight_of(c.models[0], "conv1").encoding));
  expect_data_matches_encoding(c);
}

TEST(Compress, LayerDimErrors) {
  CompressOptions o = no_keep();
  o.layer_dims = {{"nope", 3}};
  EXPECT_THROW(compress_models(two_models(), o), Error);
  o.layer_dims = {{"conv2", 0}};
  EXPECT_THROW(compress_models(two_models(), o), Error);
  CompressOptions kept = no_keep();
  kept.keep_layers = {"conv2"};
  kept.layer_dims = {{"conv2", 3}};
  EXPECT_THROW(compress_models(two_models(), kept), Error);
  kept.keep_layers = {};
  kept.keep_first = true;
  kept.layer_dims = {{"conv1", 3}};
  EXPECT_THROW(compress_models(two_models(), kept), Error);
  CompressOptions int8 = no_keep();
  int8.method = CompressMethod::kInt8;
  int8.layer_dims = {{"conv2", 3}};
  EXPECT_THROW(compress_models(two_models(), int8), Error);
  // K for a --layer-dim codebook that no layer makes, or a D given that way.
  CompressOptions orphan = no_keep();
  orphan.codewords = parse_group_values({"kxk/d3=16"}, "--codewords");
  EXPECT_THROW(compress_models(two_models(), orphan), Error);
  orphan.layer_dims = {{"pw", 8}};  // a pointwise D=8 codebook, still no kxk/d3
  EXPECT_THROW(compress_models(two_models(), orphan), Error);
  CompressOptions dim_by_name = no_keep();
  dim_by_name.dim = parse_group_values({"kxk/d3=4"}, "--dim");
  EXPECT_THROW(compress_models(two_models(), dim_by_name), Error);
  EXPECT_THROW(parse_group_values({"kxk/3=16"}, "--codewords"), Error);
  EXPECT_THROW(parse_group_values({"kxk/d=16"}, "--codewords"), Error);
  EXPECT_THROW(parse_group_values({"conv/d3=16"}, "--codewords"), Error);
  EXPECT_THROW(parse_layer_dims({"conv2"}), Error);
  EXPECT_THROW(parse_layer_dims({"=3"}), Error);
  EXPECT_THROW(parse_layer_dims({"conv2=x"}), Error);
}

TEST(Compress, CodebookSharingModes) {
  CompressOptions o = no_keep();
  o.sharing = CodebookSharing::kShared;
  CompressedModels c = compress_models(two_models(), o);
  ASSERT_EQ(c.codebooks.size(), 1u);
  EXPECT_EQ(c.codebooks[0].dim, kDefaultSharedDim);
  for (const ir::Graph& g : c.models) EXPECT_EQ(pq_of(g, "conv1").codebook, 0);
  expect_data_matches_encoding(c);

  o.sharing = CodebookSharing::kPerModel;
  c = compress_models(two_models(), o);
  std::set<std::string> names;
  for (const ir::Codebook& cb : c.codebooks) names.insert(cb.name);
  EXPECT_EQ(names, (std::set<std::string>{"a/kxk", "a/pointwise", "b/kxk", "b/pointwise"}));
  EXPECT_EQ(c.codebooks[pq_of(c.models[1], "fc").codebook].name, "b/pointwise");
  EXPECT_EQ(c.codebooks[pq_of(c.models[0], "conv2").codebook].name, "a/kxk");
  expect_data_matches_encoding(c);
}

bool is_f16(float v) {
  return static_cast<float>(static_cast<_Float16>(v)) == v;
}

TEST(Compress, CodebookDtypeRoundsAndReassigns) {
  CompressOptions o = no_keep();
  o.codewords.all = 64;
  const CompressedModels plain = compress_models(two_models(), o);
  for (ir::CodebookDType dtype : {ir::CodebookDType::kF16, ir::CodebookDType::kI8}) {
    o.codebook_dtype = dtype;
    const CompressedModels c = compress_models(two_models(), o);
    ASSERT_EQ(c.codebooks.size(), plain.codebooks.size());
    for (size_t b = 0; b < c.codebooks.size(); ++b) {
      const ir::Codebook& cb = c.codebooks[b];
      EXPECT_EQ(cb.dtype, dtype);
      float peak = 0.f;
      for (float v : cb.centroids) peak = std::max(peak, std::fabs(v));
      const float step = peak / 127.f;
      for (size_t i = 0; i < cb.centroids.size(); ++i) {
        const float v = cb.centroids[i];
        if (dtype == ir::CodebookDType::kF16) {
          EXPECT_TRUE(is_f16(v)) << v;
        } else {
          const float q = std::nearbyint(v / step);
          EXPECT_LE(std::fabs(q), 127.f);
          EXPECT_EQ(v, step * q);
          // Rounded from the f32 codebook learned with the same seed.
          EXPECT_LE(std::fabs(v - plain.codebooks[b].centroids[i]), step * 0.5f + 1e-6f);
        }
      }
    }
    expect_data_matches_encoding(c);
    // Reassigned codes decode at least as well as keeping the f32 fit's codes.
    const std::vector<ir::Graph> originals = two_models();
    for (size_t m = 0; m < 2; ++m) {
      for (const char* layer : {"conv1", "conv1d", "pw", "dw", "fc"}) {
        const ir::Tensor& t = weight_of(c.models[m], layer);
        const ir::PqEncoding& pq = std::get<ir::PqEncoding>(t.encoding);
        const ir::Codebook& cb = c.codebooks[pq.codebook];
        const std::vector<float> stale =
            reconstruct_rows(cb.centroids, cb.dim, pq_of(plain.models[m], layer).codes, pq.scales,
                             rows_of(t), row_len_of(t));
        const std::vector<float>& before = weight_of(originals[m], layer).data;
        EXPECT_LE(squared_error(before, t.data), squared_error(before, stale) * (1 + 1e-9))
            << layer;
      }
    }
  }
}

// --scale-dtype f16: every PQ and int8 layer (kept ones too) stores binary16
// scales within half an f16 step of the f32 ones, with data decoded from them.
TEST(Compress, F16ScalesAreRoundedAndDecoded) {
  CompressOptions o;
  o.keep_min_weights = 600;  // some layers kept as int8, the rest PQ
  const CompressedModels full = compress_models(two_models(), o);
  o.scale_dtype = ir::ScaleDType::kF16;
  const CompressedModels half = compress_models(two_models(), o);
  int pq_layers = 0, int8_layers = 0;
  for (size_t m = 0; m < 2; ++m) {
    for (size_t i = 0; i < half.models[m].tensors.size(); ++i) {
      const ir::Tensor& t = half.models[m].tensors[i];
      const ir::Tensor& f = full.models[m].tensors[i];
      const std::vector<float>* scales = nullptr;
      const std::vector<float>* f32_scales = nullptr;
      if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
        EXPECT_EQ(pq->scale_dtype, ir::ScaleDType::kF16);
        EXPECT_EQ(pq->codes, std::get<ir::PqEncoding>(f.encoding).codes);
        scales = &pq->scales;
        f32_scales = &std::get<ir::PqEncoding>(f.encoding).scales;
        ++pq_layers;
      } else if (const auto* i8 = std::get_if<ir::Int8Encoding>(&t.encoding)) {
        EXPECT_EQ(i8->scale_dtype, ir::ScaleDType::kF16);
        scales = &i8->scales;
        f32_scales = &std::get<ir::Int8Encoding>(f.encoding).scales;
        ++int8_layers;
      } else {
        continue;
      }
      ASSERT_EQ(scales->size(), f32_scales->size());
      for (size_t r = 0; r < scales->size(); ++r) {
        EXPECT_TRUE(is_f16((*scales)[r])) << t.name;
        EXPECT_LE(std::fabs((*scales)[r] - (*f32_scales)[r]), std::fabs((*f32_scales)[r]) / 2048)
            << t.name;
      }
    }
  }
  EXPECT_GT(pq_layers, 0);
  EXPECT_GT(int8_layers, 0);
  expect_data_matches_encoding(half);
}

// --bias-dtype f16: every Conv/Dense bias is stored as halves within 2^-11
// of its value; weights and every other constant stay as they were.
TEST(Compress, F16BiasesAreRounded) {
  CompressOptions o;
  const CompressedModels full = compress_models(two_models(), o);
  o.bias_dtype = ir::FloatDType::kF16;
  const CompressedModels half = compress_models(two_models(), o);
  int biases = 0;
  for (size_t m = 0; m < 2; ++m) {
    const ir::Graph& g = half.models[m];
    std::vector<char> is_bias(g.tensors.size(), 0);
    for (const ir::Op& op : g.ops)
      if ((std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
           std::holds_alternative<ir::DenseAttrs>(op.attrs)) &&
          op.inputs.size() == 3)
        is_bias[static_cast<size_t>(op.inputs[2])] = 1;
    for (size_t i = 0; i < g.tensors.size(); ++i) {
      const ir::Tensor& t = g.tensors[i];
      const ir::Tensor& f = full.models[m].tensors[i];
      if (!is_bias[i]) {
        EXPECT_EQ(t.stored, ir::FloatDType::kF32) << t.name;
        EXPECT_EQ(t.data, f.data) << t.name;
        continue;
      }
      ++biases;
      EXPECT_EQ(t.stored, ir::FloatDType::kF16) << t.name;
      ASSERT_EQ(t.data.size(), f.data.size());
      bool any_changed = false;
      for (size_t j = 0; j < t.data.size(); ++j) {
        EXPECT_TRUE(is_f16(t.data[j])) << t.name;
        EXPECT_LE(std::fabs(t.data[j] - f.data[j]), std::fabs(f.data[j]) / 2048) << t.name;
        any_changed = any_changed || t.data[j] != f.data[j];
      }
      EXPECT_TRUE(any_changed) << t.name << ": random biases are not all halves already";
    }
  }
  EXPECT_GT(biases, 0);
}

TEST(Compress, Int8MethodErrorBound) {
  CompressOptions o = no_keep();
  o.method = CompressMethod::kInt8;
  const std::vector<ir::Graph> original = two_models();
  const CompressedModels c = compress_models(original, o);
  EXPECT_TRUE(c.codebooks.empty());
  for (size_t m = 0; m < 2; ++m) {
    for (const char* layer : {"conv1", "conv1d", "pw", "dw", "fc"}) {
      const ir::Tensor& t = weight_of(c.models[m], layer);
      const auto& enc = std::get<ir::Int8Encoding>(t.encoding);
      const std::vector<float>& w = weight_of(original[m], layer).data;
      const uint32_t len = row_len_of(t);
      ASSERT_EQ(enc.scales.size(), rows_of(t));
      for (size_t j = 0; j < w.size(); ++j) {
        const float scale = enc.scales[j / len];
        EXPECT_LE(std::fabs(w[j] - t.data[j]), scale * 0.5f * (1 + 1e-5f)) << layer;
        EXPECT_GE(enc.values[j], -127);
      }
    }
  }
  expect_data_matches_encoding(c);
}

TEST(Compress, KmeansScalarUsesAtMostTwoToTheBitsValues) {
  CompressOptions o = no_keep();
  o.method = CompressMethod::kKmeansScalar;
  o.bits = 3;
  o.keep_layers = {"dw"};
  const CompressedModels c = compress_models(two_models(), o);
  EXPECT_EQ(c.codebooks.size(), 2u * 5);  // one per quantized layer
  for (const ir::Graph& g : c.models) {
    for (const char* layer : {"conv1", "conv1d", "conv2", "pw", "fc"}) {
      const ir::Tensor& t = weight_of(g, layer);
      const std::set<float> distinct(t.data.begin(), t.data.end());
      EXPECT_LE(distinct.size(), 8u) << layer;
      EXPECT_GE(distinct.size(), 4u) << layer;
      const auto& pq = std::get<ir::PqEncoding>(t.encoding);
      const ir::Codebook& cb = c.codebooks[pq.codebook];
      EXPECT_EQ(cb.dim, 1u);
      EXPECT_EQ(cb.name, g.name + "/" + layer);
      for (float s : pq.scales) EXPECT_EQ(s, 1.f);
    }
    EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(weight_of(g, "dw").encoding));
  }
  expect_data_matches_encoding(c);
}

TEST(Compress, Deterministic) {
  for (CodebookSharing s :
       {CodebookSharing::kShared, CodebookSharing::kPerGroup, CodebookSharing::kPerModel}) {
    CompressOptions o;
    o.sharing = s;
    o.codebook_dtype = ir::CodebookDType::kI8;
    const CompressedModels a = compress_models(two_models(), o);
    const CompressedModels b = compress_models(two_models(), o);
    ASSERT_EQ(a.codebooks.size(), b.codebooks.size());
    for (size_t i = 0; i < a.codebooks.size(); ++i) {
      EXPECT_EQ(a.codebooks[i].name, b.codebooks[i].name);
      EXPECT_EQ(a.codebooks[i].centroids, b.codebooks[i].centroids);
    }
    for (size_t m = 0; m < 2; ++m) {
      for (size_t t = 0; t < a.models[m].tensors.size(); ++t) {
        const ir::Tensor& x = a.models[m].tensors[t];
        const ir::Tensor& y = b.models[m].tensors[t];
        EXPECT_EQ(x.data, y.data);
        if (const auto* p = std::get_if<ir::PqEncoding>(&x.encoding)) {
          EXPECT_EQ(p->codes, std::get<ir::PqEncoding>(y.encoding).codes);
        }
      }
    }
    EXPECT_EQ(a.warnings, b.warnings);
  }
}

void expect_error(const std::vector<ir::Graph>& models, const CompressOptions& o,
                  const std::string& mention) {
  try {
    compress_models(models, o);
    ADD_FAILURE() << "no error; expected one mentioning " << mention;
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(mention), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(Compress, RejectsMalformedOptions) {
  const std::vector<ir::Graph> models = two_models();
  expect_error({}, CompressOptions{}, "no models");

  CompressOptions o;
  o.codewords.all = 1;
  expect_error(models, o, "--codewords 1");
  o.codewords.all = 65537;
  expect_error(models, o, "--codewords 65537");
  o = CompressOptions{};
  o.codewords.per_group[LayerGroup::kKxk] = 0;
  expect_error(models, o, "--codewords kxk=0");

  o = CompressOptions{};
  o.dim.all = 0;
  expect_error(models, o, "--dim 0");
  o.dim.all = 300;
  expect_error(models, o, "1..256");
  // Longer than any pointwise row: fc rows have 512 weights, capped at 256 anyway,
  // so use the kxk group whose longest row (conv1: 144) is shorter.
  o = no_keep();
  o.dim.per_group[LayerGroup::kKxk] = 200;
  expect_error(models, o, "'conv1' of model a");

  o = CompressOptions{};
  o.sharing = CodebookSharing::kShared;
  o.dim.per_group[LayerGroup::kKxk] = 9;
  expect_error(models, o, "shared");

  o = CompressOptions{};
  o.method = CompressMethod::kInt8;
  o.dim.all = 4;
  expect_error(models, o, "--method pq");

  o = CompressOptions{};
  o.method = CompressMethod::kKmeansScalar;
  o.bits = 0;
  expect_error(models, o, "--bits 0");
  o.bits = 17;
  expect_error(models, o, "--bits 17");

  o = CompressOptions{};
  o.keep_layers = {"nonexistent"};
  expect_error(models, o, "nonexistent");
  o = CompressOptions{};
  o.keep_min_weights = -1;
  expect_error(models, o, "--keep-min-weights");

  for (const auto& [arg, mention] : std::vector<std::pair<std::string, std::string>>{
           {"depthwise=4", "depthwise"}, {"abc", "abc"}, {"kxk=", "kxk="}, {"-3", "-3"}}) {
    try {
      parse_group_values({arg}, "--dim");
      ADD_FAILURE() << arg;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    }
  }
}

TEST(Compress, WarnsWhenEverythingIsKept) {
  CompressOptions o;
  o.keep_min_weights = 1 << 30;
  const CompressedModels c = compress_models(two_models(), o);
  EXPECT_TRUE(c.codebooks.empty());
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings[0].find("kept"), std::string::npos);
}

// ---- frozen codebooks (`--codebook base.yono`) ----

// Codebooks learned on models "a" and "b", then a third model compressed
// against them frozen: the codebooks come back unchanged and in order, D and
// K are theirs, and every code is the nearest codeword of its sub-vector.
TEST(CompressFrozen, UsesTheGivenCodebooksUnchanged) {
  CompressOptions learn = no_keep();
  learn.codewords = parse_group_values({"32"}, "--codewords");
  learn.layer_dims = {{"b/conv2", 3}};  // also a shared/kxk/d3 codebook
  const CompressedModels base = compress_models(two_models(), learn);
  ASSERT_EQ(base.codebooks.size(), 3u);

  CompressOptions o = no_keep();
  o.frozen_codebooks = base.codebooks;
  o.frozen_source = "base.yono";
  o.layer_dims = {{"conv1", 3}};
  const std::vector<ir::Graph> fresh = {test_model("c", 99)};
  const CompressedModels c = compress_models(fresh, o);
  ASSERT_EQ(c.codebooks.size(), base.codebooks.size());
  for (size_t i = 0; i < c.codebooks.size(); ++i) {
    EXPECT_EQ(c.codebooks[i].name, base.codebooks[i].name);
    EXPECT_EQ(c.codebooks[i].centroids, base.codebooks[i].centroids);
  }
  const ir::Graph& g = c.models[0];
  EXPECT_EQ(c.codebooks[pq_of(g, "conv1").codebook].name, "shared/kxk/d3");
  EXPECT_EQ(c.codebooks[pq_of(g, "conv2").codebook].name, "shared/kxk");
  EXPECT_EQ(c.codebooks[pq_of(g, "fc").codebook].name, "shared/pointwise");
  expect_data_matches_encoding(c);

  // Nearest codeword, by brute force over the row-normalised sub-vectors.
  for (const char* layer : {"conv1", "conv1d", "fc"}) {
    const ir::Tensor& before = weight_of(fresh[0], layer);
    const ir::PqEncoding& pq = pq_of(g, layer);
    const ir::Codebook& cb = c.codebooks[static_cast<size_t>(pq.codebook)];
    const RowSubvectors r = split_rows(before.data, rows_of(before), row_len_of(before), cb.dim);
    ASSERT_EQ(pq.codes.size(), r.vectors.size() / cb.dim);
    for (size_t v = 0; v < pq.codes.size(); ++v) {
      const uint32_t lanes = std::min(
          cb.dim, row_len_of(before) - static_cast<uint32_t>((v % r.subvectors_per_row) * cb.dim));
      auto dist = [&](uint32_t code) {
        double s = 0;
        for (uint32_t l = 0; l < lanes; ++l) {
          const double d = double(r.vectors[v * cb.dim + l]) - cb.centroids[code * cb.dim + l];
          s += d * d;
        }
        return s;
      };
      double best = dist(0);
      for (uint32_t k = 1; k < cb.codeword_count; ++k) best = std::min(best, dist(k));
      EXPECT_EQ(dist(pq.codes[v]), best) << layer << " sub-vector " << v;
    }
  }
}

TEST(CompressFrozen, RefusesLayersNoCodebookServesAndLearningOptions) {
  const CompressedModels base = compress_models(two_models(), no_keep());  // kxk D=9, pointwise D=4
  CompressOptions o = no_keep();
  o.frozen_codebooks = base.codebooks;
  o.frozen_source = "base.yono";
  o.layer_dims = {{"conv1", 3}};  // no D = 3 codebook in the base
  try {
    compress_models({test_model("c", 7)}, o);
    FAIL() << "a layer without a codebook was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shared/kxk/d3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("base.yono"), std::string::npos) << e.what();
  }
  o.layer_dims.clear();
  o.codewords = parse_group_values({"64"}, "--codewords");
  EXPECT_THROW(compress_models({test_model("c", 7)}, o), Error);
  o.codewords = {};
  o.sharing = CodebookSharing::kPerModel;
  EXPECT_THROW(compress_models({test_model("c", 7)}, o), Error);
  o.sharing = CodebookSharing::kPerGroup;
  o.method = CompressMethod::kInt8;
  EXPECT_THROW(compress_models({test_model("c", 7)}, o), Error);
}

}  // namespace
}  // namespace yono
