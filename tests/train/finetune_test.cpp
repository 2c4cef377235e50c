// Fine-tuning a compressed pack: it recovers accuracy the quantization lost,
// keeps every encoded tensor's data equal to its decode, keeps a codebook
// shared by two models one codebook, and is reproducible for a seed.
#include "yono/compiler/train/finetune.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <set>
#include <variant>

#include "train_test_support.h"
#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

using yono::CompressedModels;
using yono::data::Dataset;
using yono::train::FinetuneMode;
using yono::train::FinetuneOptions;
using yono::train::FinetuneTask;

// Four classes of 1x8x8 images: which quadrant is bright, over noise. Harder
// than two halves, so a crudely quantized model visibly loses accuracy.
Dataset quadrants(size_t n, uint32_t seed, const std::vector<int64_t>& dims = {1, 8, 8}) {
  Dataset d;
  d.sample_dims = dims;
  d.class_names = {"tl", "tr", "bl", "br"};
  const auto noise = yono::test::random_values(n * 64, seed, -0.6f, 0.6f);
  for (size_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 4);
    d.labels.push_back(label);
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) {
        const int q = (y >= 4 ? 2 : 0) + (x >= 4 ? 1 : 0);
        d.samples.push_back((q == label ? 0.7f : 0.f) + noise[i * 64 + y * 8 + x]);
      }
  }
  return d;
}

struct Toy {
  std::vector<yono::ir::Graph> teachers;
  std::vector<Dataset> train, validation;
};

// Two trained models of different kinds (2-D CNN on images, 1-D CNN on the
// same values read as 8 channels x 8 steps) whose pointwise layers share
// a codebook when compressed together.
const Toy& toy() {
  static const Toy t = [] {
    Toy t;
    t.train = {quadrants(320, 1), quadrants(320, 3, {8, 8})};
    t.validation = {quadrants(200, 2), quadrants(200, 4, {8, 8})};
    const char* archs[] = {"fmnist-cnn", "cnn1d"};
    for (size_t m = 0; m < 2; ++m) {
      yono::ir::Graph g = yono::zoo::build_model(archs[m], t.train[m].sample_dims, 4, 1 + m);
      g.name = m == 0 ? "image" : "sequence";
      yono::train::TrainOptions o;
      o.epochs = 6;
      o.batch = 16;
      o.progress = false;
      o.threads = 1;
      yono::train::train_model(g, t.train[m], nullptr, o);
      t.teachers.push_back(g);
    }
    return t;
  }();
  return t;
}

// Few codewords and no kept layers: quantization costs accuracy to recover.
CompressedModels crude(yono::ir::CodebookDType dtype = yono::ir::CodebookDType::kF16,
                       yono::ir::ScaleDType scales = yono::ir::ScaleDType::kF16) {
  yono::CompressOptions o;
  o.scale_dtype = scales;
  o.codewords.all = 4;
  o.dim.all = 4;
  o.keep_min_weights = 0;
  o.codebook_dtype = dtype;
  o.bias_dtype = yono::ir::FloatDType::kF16;
  return yono::compress_models(toy().teachers, o);
}

std::vector<FinetuneTask> tasks() {
  std::vector<FinetuneTask> t(2);
  for (size_t m = 0; m < 2; ++m) {
    t[m].name = m == 0 ? "quadrants" : "quadrant-sequences";
    t[m].train = &toy().train[m];
    t[m].validation = &toy().validation[m];
  }
  return t;
}

FinetuneOptions quick(FinetuneMode mode, int epochs = 4) {
  FinetuneOptions o;
  o.mode = mode;
  o.epochs = epochs;
  o.batch = 16;
  o.lr = 3e-3;
  o.threads = 1;
  o.progress = false;
  o.seed = 5;
  return o;
}

bool is_half(float v) {
  return v == torch::tensor(v).to(torch::kHalf).to(torch::kFloat32).item<float>();
}

// The invariant the pack writer relies on: data is exactly the decode, and
// every encoding keeps the scale dtype it was compressed with.
void expect_data_is_decode(const CompressedModels& c,
                           yono::ir::ScaleDType scales = yono::ir::ScaleDType::kF16) {
  for (const yono::ir::Graph& g : c.models)
    for (const yono::ir::Tensor& t : g.tensors) {
      const std::vector<float>* s = nullptr;
      if (const auto* pq = std::get_if<yono::ir::PqEncoding>(&t.encoding)) {
        EXPECT_EQ(pq->scale_dtype, scales) << g.name << "/" << t.name;
        s = &pq->scales;
      } else if (const auto* i8 = std::get_if<yono::ir::Int8Encoding>(&t.encoding)) {
        EXPECT_EQ(i8->scale_dtype, scales) << g.name << "/" << t.name;
        s = &i8->scales;
      }
      if (s != nullptr && scales == yono::ir::ScaleDType::kF16) {
        for (float v : *s) EXPECT_TRUE(is_half(v)) << g.name << "/" << t.name << " scale " << v;
      }
      if (const auto* pq = std::get_if<yono::ir::PqEncoding>(&t.encoding)) {
        const yono::ir::Codebook& cb = c.codebooks.at(static_cast<size_t>(pq->codebook));
        const auto rows = static_cast<uint32_t>(t.dims[0]);
        EXPECT_EQ(t.data, yono::reconstruct_rows(cb.centroids, cb.dim, pq->codes, pq->scales, rows,
                                                 static_cast<uint32_t>(t.data.size() / rows)))
            << g.name << "/" << t.name;
      } else if (const auto* i8 = std::get_if<yono::ir::Int8Encoding>(&t.encoding)) {
        const size_t row_len = t.data.size() / i8->scales.size();
        for (size_t i = 0; i < t.data.size(); ++i)
          ASSERT_EQ(t.data[i], i8->scales[i / row_len] * static_cast<float>(i8->values[i]))
              << g.name << "/" << t.name;
      }
    }
  for (const yono::ir::Codebook& cb : c.codebooks) {
    if (cb.dtype != yono::ir::CodebookDType::kF16) continue;
    for (float v : cb.centroids) EXPECT_TRUE(is_half(v)) << cb.name;
  }
  // f16 biases (crude() stores every bias so) stay halves after training.
  int half_biases = 0;
  for (const yono::ir::Graph& g : c.models)
    for (const yono::ir::Tensor& t : g.tensors) {
      if (t.stored != yono::ir::FloatDType::kF16) continue;
      ++half_biases;
      for (float v : t.data) EXPECT_TRUE(is_half(v)) << g.name << "/" << t.name << " bias " << v;
    }
  EXPECT_GT(half_biases, 0);
}

// keep_best: the kept epoch has the best worst-model drop from float, then
// the best mean drop, and among epochs equal in both the lowest mean loss.
void expect_kept_epoch_is_best(const yono::train::FinetuneResult& r) {
  ASSERT_GE(r.best_epoch, 1);
  ASSERT_LE(static_cast<size_t>(r.best_epoch), r.epochs.size());
  struct Rank {
    double worst = 1, mean = 0, loss = 0;
  };
  auto rank = [&](const yono::train::FinetuneEpoch& e) {
    Rank k;
    const auto n = static_cast<double>(e.validation.size());
    for (size_t m = 0; m < e.validation.size(); ++m) {
      const double drop = e.validation[m] - r.models[m].float_validation;
      k.worst = std::min(k.worst, drop);
      k.mean += drop / n;
      k.loss += e.validation_loss[m] / n;
    }
    return k;
  };
  const Rank kept = rank(r.epochs[static_cast<size_t>(r.best_epoch) - 1]);
  for (size_t e = 0; e < r.epochs.size(); ++e) {
    const Rank other = rank(r.epochs[e]);
    const double a = kept.worst + 1e-3 * kept.mean, b = other.worst + 1e-3 * other.mean;
    EXPECT_GE(a, b) << "epoch " << e + 1 << " scores higher than kept epoch " << r.best_epoch;
    if (a == b) {
      EXPECT_LE(kept.loss, other.loss) << "epoch " << e + 1 << " ties with lower loss";
    }
  }
  for (size_t m = 0; m < r.models.size(); ++m)
    EXPECT_EQ(r.epochs[static_cast<size_t>(r.best_epoch) - 1].validation[m],
              r.models[m].after_validation);
}

double mean_validation(const yono::train::FinetuneResult& r, bool after) {
  double s = 0;
  for (const auto& m : r.models) s += after ? m.after_validation : m.before_validation;
  return s / static_cast<double>(r.models.size());
}

TEST(Finetune, LearnedCodebookRecoversAccuracyAndKeepsTheInvariant) {
  const CompressedModels c = crude();
  const auto r = yono::train::finetune(c, toy().teachers, tasks(), quick(FinetuneMode::kLearned));
  ASSERT_EQ(r.models.size(), 2u);
  for (const auto& m : r.models) {
    EXPECT_GT(m.float_validation, 0.9) << m.model;
    EXPECT_GE(m.after_validation, m.before_validation) << m.model;
  }
  EXPECT_GT(mean_validation(r, true), mean_validation(r, false) + 0.02);
  // The reported accuracy and loss are the returned pack's.
  for (size_t m = 0; m < 2; ++m) {
    const auto e = yono::train::evaluate_float(r.compressed.models[m], toy().validation[m], 1);
    EXPECT_DOUBLE_EQ(e.accuracy, r.models[m].after_validation);
    EXPECT_DOUBLE_EQ(e.loss, r.models[m].after_validation_loss);
    EXPECT_LT(r.models[m].after_validation_loss, r.models[m].before_validation_loss);
  }
  expect_kept_epoch_is_best(r);
  expect_data_is_decode(r.compressed);
  bool biases_trained = false;
  for (size_t m = 0; m < 2; ++m)
    for (size_t i = 0; i < c.models[m].tensors.size(); ++i)
      if (c.models[m].tensors[i].stored == yono::ir::FloatDType::kF16)
        biases_trained =
            biases_trained || r.compressed.models[m].tensors[i].data != c.models[m].tensors[i].data;
  EXPECT_TRUE(biases_trained);

  // Still one pointwise codebook for both models, now with trained codewords.
  ASSERT_EQ(r.compressed.codebooks.size(), c.codebooks.size());
  std::set<int> used[2];
  for (size_t m = 0; m < 2; ++m)
    for (const auto& t : r.compressed.models[m].tensors)
      if (const auto* pq = std::get_if<yono::ir::PqEncoding>(&t.encoding))
        used[m].insert(pq->codebook);
  bool shared = false;
  for (int cb : used[0]) shared = shared || used[1].count(cb) > 0;
  EXPECT_TRUE(shared);
  bool moved = false;
  for (size_t i = 0; i < c.codebooks.size(); ++i) {
    EXPECT_EQ(r.compressed.codebooks[i].name, c.codebooks[i].name);
    moved = moved || r.compressed.codebooks[i].centroids != c.codebooks[i].centroids;
  }
  EXPECT_TRUE(moved);
  // The writer takes it as is.
  EXPECT_FALSE(yono::write_pack(r.compressed.models, r.compressed.codebooks).empty());
}

TEST(Finetune, YonoModeKeepsCodebooksAndImproves) {
  const CompressedModels c = crude(yono::ir::CodebookDType::kF32, yono::ir::ScaleDType::kF32);
  const auto r = yono::train::finetune(c, toy().teachers, tasks(), quick(FinetuneMode::kYono));
  for (size_t i = 0; i < c.codebooks.size(); ++i)
    EXPECT_EQ(r.compressed.codebooks[i].centroids, c.codebooks[i].centroids);
  EXPECT_GT(mean_validation(r, true), mean_validation(r, false) + 0.02);
  expect_data_is_decode(r.compressed, yono::ir::ScaleDType::kF32);
}

TEST(Finetune, SameSeedSameBytesAndNoneChangesNothing) {
  const CompressedModels c = crude();
  auto pack = [&](uint64_t seed) {
    FinetuneOptions o = quick(FinetuneMode::kLearned, 1);
    o.seed = seed;
    const auto r = yono::train::finetune(c, toy().teachers, tasks(), o);
    return yono::write_pack(r.compressed.models, r.compressed.codebooks);
  };
  EXPECT_EQ(pack(9), pack(9));
  EXPECT_NE(pack(9), pack(10));

  const auto none = yono::train::finetune(c, toy().teachers, tasks(), quick(FinetuneMode::kNone));
  EXPECT_EQ(yono::write_pack(none.compressed.models, none.compressed.codebooks),
            yono::write_pack(c.models, c.codebooks));
  EXPECT_EQ(none.steps, 0);
}

TEST(Finetune, ModelWithoutTaskFollowsTheSharedCodebook) {
  const CompressedModels c = crude();
  std::vector<FinetuneTask> t = tasks();
  t[1] = FinetuneTask{};  // the sequence model has no data
  const auto r = yono::train::finetune(c, toy().teachers, t, quick(FinetuneMode::kLearned, 1));
  expect_data_is_decode(r.compressed);
  // Its biases are untouched; only codes re-picked against moved codewords.
  const auto& before = c.models[1];
  const auto& after = r.compressed.models[1];
  for (size_t i = 0; i < before.tensors.size(); ++i) {
    if (before.tensors[i].is_constant &&
        std::holds_alternative<std::monostate>(before.tensors[i].encoding)) {
      EXPECT_EQ(after.tensors[i].data, before.tensors[i].data) << before.tensors[i].name;
    }
  }
}

TEST(Finetune, MismatchedTasksAreRefused) {
  const CompressedModels c = crude();
  std::vector<FinetuneTask> t = tasks();
  Dataset three = toy().train[0];
  three.class_names.push_back("extra");
  t[0].train = &three;
  EXPECT_THROW(yono::train::finetune(c, toy().teachers, t, quick(FinetuneMode::kLearned)),
               yono::Error);
  t = tasks();
  t[1].train = &toy().train[0];  // images for the sequence model
  EXPECT_THROW(yono::train::finetune(c, toy().teachers, t, quick(FinetuneMode::kLearned)),
               yono::Error);
  EXPECT_THROW(yono::train::finetune(c, {toy().teachers[0]}, tasks(), quick(FinetuneMode::kYono)),
               yono::Error);
}

}  // namespace
