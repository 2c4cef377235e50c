// Int8 activations (compiler/src/quantize/): the constants TFLite's way, the
// int8 rewrite of hand-built graphs run through the runtime against their f32
// versions, codebooks as int16 lanes, calibration ranges, determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack/arena_plan.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/compiler/quantize/calibrate.h"
#include "yono/compiler/quantize/integer_codebooks.h"
#include "yono/compiler/quantize/quant_math.h"
#include "yono/compiler/quantize/quantize_graph.h"
#include "yono/compiler/quantize/quantize_models.h"
#include "yono/session.h"

namespace yono {
namespace {

using quantize::TensorRange;

TEST(QuantMath, RangesAlwaysHoldZero) {
  ir::QuantParams q = quantize::quant_for_range(0.0f, 2.55f);
  EXPECT_FLOAT_EQ(q.scale, 0.01f);
  EXPECT_EQ(q.zero_point, -128);
  q = quantize::quant_for_range(0.5f, 2.55f);  // widened down to 0
  EXPECT_FLOAT_EQ(q.scale, 0.01f);
  EXPECT_EQ(q.zero_point, -128);
  q = quantize::quant_for_range(-2.55f, -1.0f);  // widened up to 0
  EXPECT_EQ(q.zero_point, 127);
  q = quantize::quant_for_range(-1.0f, 1.0f);
  EXPECT_FLOAT_EQ(q.scale, 2.0f / 255.0f);
  EXPECT_EQ(quantize::quantize(0.0f, q), q.zero_point);  // zero is exact
  EXPECT_EQ(quantize::quant_for_range(0.0f, 0.0f).scale, 1.0f);
}

TEST(QuantMath, RequantEntriesReproduceTheMultiplier) {
  EXPECT_EQ(quantize::requant_for(0.5).multiplier, 1 << 30);
  EXPECT_EQ(quantize::requant_for(0.5).shift, 0);
  EXPECT_EQ(quantize::requant_for(0.25).shift, -1);
  EXPECT_EQ(quantize::requant_for(1.0).shift, 1);
  EXPECT_EQ(quantize::requant_for(0.0).multiplier, 0);
  EXPECT_EQ(quantize::requant_for(1e-12).multiplier, 0);  // below 2^-32: output = zero point
  for (double real : {3.7e-5, 0.0123, 0.49999999999, 0.75, 1.9, 1000.0}) {
    const RequantEntry r = quantize::requant_for(real);
    EXPECT_GE(r.multiplier, 1 << 30);
    EXPECT_NEAR(r.multiplier * std::ldexp(1.0, r.shift - 31), real, real * 1e-9) << real;
  }
  const RequantEntry neg = quantize::requant_for(-0.25);  // a negative PQ row scale
  EXPECT_EQ(neg.multiplier, -(1 << 30));
  EXPECT_EQ(neg.shift, -1);
  EXPECT_THROW(quantize::requant_for(NAN), Error);
  EXPECT_THROW(quantize::requant_for(1e12), Error);
}

TEST(QuantMath, FusedClampsBecomeInt8Values) {
  const ir::QuantParams q{0.1f, -20};
  float lo = 0, hi = 0;
  quantize::int8_clamp(ir::Activation{0.0f, 6.0f}, q, &lo, &hi);  // ReLU6
  EXPECT_EQ(lo, -20.0f);
  EXPECT_EQ(hi, 40.0f);
  quantize::int8_clamp(ir::Activation{}, q, &lo, &hi);
  EXPECT_EQ(lo, -128.0f);
  EXPECT_EQ(hi, 127.0f);
}

std::vector<std::vector<float>> random_inputs(const ir::Graph& g, int n, uint32_t seed) {
  std::vector<std::vector<float>> v;
  for (int i = 0; i < n; ++i)
    v.push_back(test::seeded_values(ir::element_count(g.tensors[g.inputs[0]].dims), seed + i));
  return v;
}

std::vector<const float*> pointers(const std::vector<std::vector<float>>& v) {
  std::vector<const float*> p;
  for (const auto& x : v) p.push_back(x.data());
  return p;
}

// Every output of `g` for `input`, through the runtime.
std::vector<std::vector<float>> run_pack(const std::vector<uint8_t>& bytes,
                                         const std::vector<float>& input) {
  test::OpenedPack p(bytes);
  EXPECT_EQ(p.status, Status::kOk);
  AlignedBuffer arena(p.pack.models()[0].arena_size);
  Session s(p.pack, arena.data(), arena.size());
  EXPECT_EQ(s.select(0), Status::kOk);
  std::copy(input.begin(), input.end(), s.input(0).data);
  EXPECT_EQ(s.invoke(), Status::kOk);
  std::vector<std::vector<float>> outs;
  for (uint32_t i = 0; i < p.pack.models()[0].output_count; ++i) {
    const TensorView v = s.output(i);
    outs.emplace_back(v.data, v.data + v.element_count);
  }
  return outs;
}

struct Quantized {
  ir::Graph graph;
  quantize::QuantizeSummary summary;
};

Quantized quantize_on_random_inputs(const ir::Graph& g, int samples = 64) {
  const auto inputs = random_inputs(g, samples, 1000);
  const std::vector<TensorRange> ranges = quantize::calibrate(g, {}, pointers(inputs));
  Quantized q;
  q.graph = quantize::quantize_graph(g, ranges, {}, &q.summary);
  return q;
}

// The int8 model computes what the f32 one does, to within a few steps of
// each output's quantization, on inputs it was not calibrated on.
void expect_close_to_f32(const ir::Graph& g, const ir::Graph& q, double steps) {
  const std::vector<uint8_t> f32 = write_pack({g});
  const std::vector<uint8_t> i8 = write_pack({q});
  for (const auto& input : random_inputs(g, 8, 5000)) {
    const auto want = run_pack(f32, input);
    const auto got = run_pack(i8, input);
    ASSERT_EQ(want.size(), got.size());
    for (size_t o = 0; o < want.size(); ++o) {
      ASSERT_EQ(want[o].size(), got[o].size());
      float lo = 0, hi = 0;
      for (float v : want[o]) lo = std::min(lo, v), hi = std::max(hi, v);
      const double step = (hi - lo) / 255.0;
      for (size_t i = 0; i < want[o].size(); ++i)
        EXPECT_NEAR(got[o][i], want[o][i], steps * step + 1e-6)
            << "output " << o << " [" << i << "]";
    }
  }
}

TEST(QuantizeGraph, ImageModelRunsInInt8WithF32Borders) {
  const ir::Graph g = test::image_model("img");
  const Quantized q = quantize_on_random_inputs(g);
  // ChannelAffine and Softmax have no int8 kernel; the rest does.
  EXPECT_EQ(q.summary.float_ops,
            (std::vector<std::string>{"affine (ChannelAffine)", "softmax (Softmax)"}));
  EXPECT_EQ(q.summary.int8_ops, 5);
  // quantize x; dequantize before affine; quantize after; dequantize before softmax.
  EXPECT_EQ(q.summary.converts, 4);
  // The interface keeps its names and f32 type.
  EXPECT_EQ(q.graph.tensors[q.graph.inputs[0]].name, "x");
  EXPECT_FALSE(q.graph.tensors[q.graph.inputs[0]].quant.has_value());
  EXPECT_EQ(q.graph.tensors[q.graph.outputs[0]].name, "y");
  EXPECT_FALSE(q.graph.tensors[q.graph.outputs[0]].quant.has_value());
  expect_close_to_f32(g, q.graph, 6.0);
}

TEST(QuantizeGraph, SignalModelAddTablesAndFallbacks) {
  const ir::Graph g = test::signal_model("sig");
  const Quantized q = quantize_on_random_inputs(g);
  // The residual Add, both tables and the average pool run in int8.
  std::set<std::string> f32(q.summary.float_ops.begin(), q.summary.float_ops.end());
  EXPECT_EQ(f32.count("residual (Binary)"), 0u);
  EXPECT_EQ(f32.count("sigmoid (Unary)"), 0u);
  EXPECT_EQ(f32.count("avgpool (Pool)"), 0u);
  EXPECT_EQ(f32.count("concat (Concat)"), 1u);
  EXPECT_EQ(f32.count("scale (Binary)"), 1u);  // by a constant
  // `r` is both a graph output and read by int8 ops: its int8 twin feeds them.
  expect_close_to_f32(g, q.graph, 8.0);
}

TEST(QuantizeGraph, ArenaShrinksAndBytesAreDeterministic) {
  for (test::LayerKind kind : {test::LayerKind::kConv2d, test::LayerKind::kConv1d,
                               test::LayerKind::kDepthwise, test::LayerKind::kDense}) {
    const ir::Graph g = test::layer_model("layer", kind, 3);
    const Quantized a = quantize_on_random_inputs(g);
    const Quantized b = quantize_on_random_inputs(g);
    EXPECT_EQ(write_pack({a.graph}), write_pack({b.graph}));
    EXPECT_EQ(a.summary.float_ops.size(), 0u);
    // f32 weights became per-channel int8.
    EXPECT_TRUE(std::holds_alternative<ir::Int8Encoding>(
        a.graph.tensors[a.graph.ops[1].inputs[1]].encoding));
    expect_close_to_f32(g, a.graph, 3.0);
    if (kind == test::LayerKind::kConv2d) {
      EXPECT_LT(plan_arena(a.graph).arena_size, plan_arena(g).arena_size);
    }
  }
}

TEST(IntegerCodebooks, PqLayersGetInt16LanesWithinTheAccumulatorBound) {
  ir::Graph g = test::layer_model("pq", test::LayerKind::kConv2d, 9);
  std::vector<ir::Codebook> books = {
      test::random_codebook("cb", 16, 4, ir::CodebookDType::kF16, 4)};
  test::pq_encode(test::weight_of(g), books[0], 0, 11);
  {  // fine-tuning can learn a negative row scale: row 0's
    ir::Tensor& w = test::weight_of(g);
    auto& e = std::get<ir::PqEncoding>(w.encoding);
    e.scales[0] = -e.scales[0];
    for (size_t j = 0; j < w.data.size() / w.dims[0]; ++j) w.data[j] = -w.data[j];
  }
  std::vector<ir::Graph> models = {g};
  quantize::to_integer_codebooks(models, books);
  const ir::Codebook& c = books[0];
  ASSERT_EQ(c.dtype, ir::CodebookDType::kI16);
  ASSERT_GT(c.value_scale, 0.0f);
  const int64_t row = 4 * 3 * 3;  // the longest (only) row using it
  const double bound = std::floor(1073741824.0 / (255.0 * row));
  double widest = 0;
  for (float v : c.centroids) {  // an int16 times the scale, as the writer stores it
    const float q = std::nearbyint(v / c.value_scale);
    EXPECT_EQ(static_cast<float>(static_cast<int16_t>(q)) * c.value_scale, v);
    widest = std::max(widest, static_cast<double>(std::fabs(q)));
  }
  EXPECT_EQ(widest, std::min(32767.0, bound));  // max|c| maps onto the bound
  // The decoded weights are what the runtime forms, so f32 packs of the
  // integer codebook match the reference interpreter run on `data`.
  const ir::Graph& pq = models[0];
  const auto input = random_inputs(pq, 1, 77)[0];
  const test::Values ref = test::reference_run(pq, {input});
  const auto got = run_pack(write_pack({pq}, books), input)[0];
  const auto& want = ref[pq.outputs[0]];
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-4);

  // Int8 activations over it: PQ weights stay PQ.
  std::vector<std::vector<float>> samples = random_inputs(pq, 16, 1);
  std::vector<ir::Graph> q = {pq};
  const auto summary = quantize::quantize_models(q, books, {pointers(samples)});
  EXPECT_EQ(summary[0].float_ops.size(), 0u);
  EXPECT_TRUE(std::holds_alternative<ir::PqEncoding>(q[0].tensors[q[0].ops[1].inputs[1]].encoding));
  const std::vector<uint8_t> bytes = write_pack(q, books);
  const auto i8 = run_pack(bytes, input)[0];
  float lo = 0, hi = 0;
  for (double v : want) lo = std::min<float>(lo, v), hi = std::max<float>(hi, v);
  for (size_t i = 0; i < i8.size(); ++i) EXPECT_NEAR(i8[i], want[i], 3 * (hi - lo) / 255.0);
}

TEST(Calibrate, RangesAreWhatTheActivationsHeld) {
  const ir::Graph g = test::image_model("img");
  const auto inputs = random_inputs(g, 10, 3);
  const std::vector<TensorRange> r = quantize::calibrate(g, {}, pointers(inputs));
  float lo = 1e9f, hi = -1e9f;
  for (const auto& x : inputs)
    for (float v : x) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(r[g.inputs[0]].min, lo);
  EXPECT_EQ(r[g.inputs[0]].max, hi);
  const int conv_out = g.ops[0].outputs[0];  // fused ReLU
  EXPECT_GE(r[conv_out].min, 0.0f);
  EXPECT_GT(r[conv_out].max, 0.0f);
  for (size_t t = 0; t < g.tensors.size(); ++t)
    EXPECT_EQ(r[t].seen(), !g.tensors[t].is_constant) << g.tensors[t].name;
}

TEST(QuantizeModels, RefusesAModelWithoutSamples) {
  std::vector<ir::Graph> models = {test::image_model("img")};
  std::vector<ir::Codebook> books;
  EXPECT_THROW(quantize::quantize_models(models, books, {{}}), Error);
  EXPECT_EQ(quantize::spread_indices(10, 4), (std::vector<size_t>{0, 2, 5, 7}));
  EXPECT_EQ(quantize::spread_indices(3, 5).size(), 3u);
}

}  // namespace
}  // namespace yono
