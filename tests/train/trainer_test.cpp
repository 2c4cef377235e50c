// The trainer learns a trivially separable task, is reproducible for a seed,
// and its float evaluation agrees with the runtime on the trained graph.
#include "yono/compiler/train/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "train_test_support.h"
#include "yono/compiler/error.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

// Two classes of 1x8x8 images: a bright left or right half, plus noise.
yono::data::Dataset halves(size_t n, uint32_t seed) {
  yono::data::Dataset d;
  d.sample_dims = {1, 8, 8};
  d.class_names = {"left", "right"};
  const auto noise = yono::test::random_values(n * 64, seed, -0.4f, 0.4f);
  for (size_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    d.labels.push_back(label);
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x)
        d.samples.push_back(((x < 4) == (label == 0) ? 1.f : 0.f) + noise[i * 64 + y * 8 + x]);
  }
  return d;
}

yono::train::TrainOptions quick(int epochs) {
  yono::train::TrainOptions o;
  o.epochs = epochs;
  o.batch = 16;
  o.lr = 0.05;
  o.progress = false;
  o.threads = 1;
  o.augmentation.max_shift = 1;
  o.augmentation.noise = 0.05f;
  return o;
}

TEST(Trainer, LearnsSeparableImagesAndRuntimeAgrees) {
  const auto train = halves(160, 1), test = halves(60, 2);
  yono::ir::Graph g = yono::zoo::build_model("fmnist-cnn", {1, 8, 8}, 2, 1);
  const double before = yono::train::evaluate_float(g, test).accuracy;
  const auto result = yono::train::train_model(g, train, &test, quick(3));
  ASSERT_EQ(result.epochs.size(), 3u);
  EXPECT_EQ(result.steps, 30);
  const auto eval = yono::train::evaluate_float(g, test);
  EXPECT_GT(eval.accuracy, 0.9) << "before training: " << before;
  EXPECT_DOUBLE_EQ(result.epochs.back().validation_accuracy, eval.accuracy);
  EXPECT_EQ(eval.confusion.size(), 4u);
  EXPECT_EQ(eval.confusion[0] + eval.confusion[3], static_cast<int64_t>(eval.correct));
  // The trained graph (BN folded into ChannelAffine) predicts the same
  // through the runtime, and the loss is the mean cross-entropy of its logits.
  double cross_entropy = 0;
  for (size_t i = 0; i < test.size(); ++i) {
    const std::vector<float> x(test.sample(i), test.sample(i) + 64);
    const auto y = yono::test::run_runtime(g, x);
    ASSERT_EQ(y.size(), 2u);
    EXPECT_EQ(y[1] > y[0] ? 1 : 0, eval.predictions[i]) << "sample " << i;
    const double hi = std::max(y[0], y[1]);
    const double log_sum = hi + std::log(std::exp(y[0] - hi) + std::exp(y[1] - hi));
    cross_entropy += (log_sum - y[static_cast<size_t>(test.labels[i])]) / test.size();
  }
  EXPECT_NEAR(eval.loss, cross_entropy, 1e-4);
  EXPECT_GT(eval.loss, 0);
}

TEST(Trainer, SameSeedSameWeightsOtherSeedOther) {
  const auto train = halves(64, 3);
  auto trained = [&](uint64_t seed) {
    yono::ir::Graph g = yono::zoo::build_model("cnn1d", {8, 8}, 2, 5);
    auto o = quick(1);
    o.seed = seed;
    yono::data::Dataset seq = train;
    seq.sample_dims = {8, 8};  // the same values read as 8 channels x 8 steps
    o.augmentation = yono::train::default_augmentation("hmp");
    yono::train::train_model(g, seq, nullptr, o);
    return g;
  };
  const auto a = trained(11), b = trained(11), c = trained(12);
  bool any_differs = false;
  for (size_t t = 0; t < a.tensors.size(); ++t) {
    if (!a.tensors[t].is_constant) continue;
    EXPECT_EQ(a.tensors[t].data, b.tensors[t].data) << a.tensors[t].name;
    any_differs = any_differs || a.tensors[t].data != c.tensors[t].data;
  }
  EXPECT_TRUE(any_differs) << "the seed does not reach shuffling/augmentation";
}

TEST(Trainer, RejectsSamplesOfTheWrongShape) {
  yono::ir::Graph g = yono::zoo::build_model("fmnist-cnn", {1, 28, 28}, 2, 1);
  EXPECT_THROW(yono::train::train_model(g, halves(8, 1), nullptr, quick(1)), yono::Error);
}

}  // namespace

namespace {

TEST(Augmentation, DataFoldersGetTheirModalitysShiftsNeverFlips) {
  yono::data::DataSpec folder;
  folder.dir = "any";
  yono::data::DataDescription d;
  d.modality = yono::data::Modality::kImage;
  d.sample_dims = {3, 32, 32};
  auto a = yono::train::default_augmentation(folder, d);
  EXPECT_EQ(a.max_shift, 2);
  EXPECT_FALSE(a.horizontal_flip);  // a flipped digit or letter is another class
  d.sample_dims = {1, 8, 8};
  EXPECT_EQ(yono::train::default_augmentation(folder, d).max_shift, 1);
  d.modality = yono::data::Modality::kSensor;
  d.sample_dims = {3, 160};
  a = yono::train::default_augmentation(folder, d);
  EXPECT_EQ(a.max_shift, 8);
  EXPECT_TRUE(a.shift_time_only);
  d.modality = yono::data::Modality::kAudio;
  d.sample_dims = {1, 49, 40};
  a = yono::train::default_augmentation(folder, d);
  EXPECT_TRUE(a.shift_time_only);
  EXPECT_GT(a.noise, 0.f);
  // A task keeps its own (CIFAR-10 flips).
  yono::data::DataSpec task;
  task.task = "cifar10";
  EXPECT_TRUE(yono::train::default_augmentation(task, d).horizontal_flip);
}

}  // namespace
