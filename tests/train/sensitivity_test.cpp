// Layer sensitivity: each encoded layer's accuracy is the float model's with
// that layer alone decoded (checked against a graph built here), models
// without data are skipped, and the rank correlation is Spearman's.
#include "yono/compiler/train/sensitivity.h"

#include <gtest/gtest.h>

#include <variant>

#include "train_test_support.h"
#include "yono/compiler/train/trainer.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

using yono::data::Dataset;

TEST(RankCorrelation, IsSpearmans) {
  EXPECT_DOUBLE_EQ(yono::train::rank_correlation({1, 2, 3, 4}, {10, 20, 35, 90}), 1.0);
  EXPECT_DOUBLE_EQ(yono::train::rank_correlation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  EXPECT_DOUBLE_EQ(yono::train::rank_correlation({1, 1, 1}, {1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(yono::train::rank_correlation({5}, {1}), 0.0);
  // Ties take the average rank: ranks (0.5, 0.5, 2) against (0, 1, 2).
  EXPECT_NEAR(yono::train::rank_correlation({1, 1, 2}, {1, 2, 3}), 0.8660254037844386, 1e-12);
}

TEST(LayerSensitivity, EachLayerAloneDecodedAgainstTheFloatModel) {
  const Dataset train = yono::test::halves_dataset(160, 1),
                validation = yono::test::halves_dataset(120, 2);
  yono::ir::Graph g = yono::zoo::build_model("fmnist-cnn", {1, 8, 8}, 2, 1);
  g.name = "image";
  yono::train::TrainOptions t;
  t.epochs = 2;
  t.batch = 16;
  t.progress = false;
  t.threads = 1;
  yono::train::train_model(g, train, nullptr, t);

  yono::CompressOptions o;
  o.codewords.all = 2;  // crude on purpose: layers visibly lose accuracy
  o.dim.all = 4;
  o.keep_min_weights = 0;
  const std::vector<yono::ir::Graph> originals = {g, g};
  const yono::CompressedModels c = yono::compress_models(originals, o);
  const yono::train::SensitivityReport r =
      yono::train::layer_sensitivity(c, originals, {&validation, nullptr}, 100, 1);

  ASSERT_EQ(r.models.size(), 1u);  // the model without data is skipped
  size_t encoded = 0;
  for (const yono::ir::Op& op : c.models[0].ops) {
    if (op.inputs.size() < 2) continue;
    const yono::ir::Tensor& w = c.models[0].tensors[static_cast<size_t>(op.inputs[1])];
    if (w.is_constant && !std::holds_alternative<std::monostate>(w.encoding)) ++encoded;
  }
  ASSERT_EQ(r.layers.size(), encoded);
  ASSERT_GT(encoded, 1u);

  // max_samples = 100: the first 100 of the 120 validation samples.
  Dataset first100 = validation;
  first100.samples.resize(100 * 64);
  first100.labels.resize(100);
  const double base = yono::train::evaluate_float(g, first100, 1).accuracy;
  EXPECT_DOUBLE_EQ(r.models[0].float_accuracy, base);
  bool any_drop = false;
  for (const yono::train::LayerSensitivity& l : r.layers) {
    EXPECT_EQ(l.model, 0u);
    yono::ir::Graph one = g;
    for (const yono::ir::Op& op : one.ops) {
      if (op.name != l.layer) continue;
      const auto w = static_cast<size_t>(op.inputs[1]);
      one.tensors[w].data = c.models[0].tensors[w].data;
    }
    const double acc = yono::train::evaluate_float(one, first100, 1).accuracy;
    EXPECT_DOUBLE_EQ(l.accuracy, acc) << l.layer;
    EXPECT_DOUBLE_EQ(l.drop, base - acc) << l.layer;
    EXPECT_GT(l.error_per_weight, 0.0) << l.layer;
    any_drop = any_drop || l.drop > 0;
  }
  EXPECT_TRUE(any_drop) << "two codewords per codebook should cost some layer accuracy";
}

}  // namespace
