// Float reference accuracy: the same IR -> torch executor the trainer uses,
// in eval mode (batch norms use their running statistics).
#include <algorithm>
#include <limits>

#include "yono/compiler/error.h"
#include "yono/compiler/train/ir_module.h"
#include "yono/compiler/train/trainer.h"

namespace yono::train {

Evaluation score_predictions(const std::vector<int32_t>& predictions, const data::Dataset& d) {
  if (predictions.size() != d.size()) throw Error("score: prediction count differs from samples");
  Evaluation e;
  const size_t classes = d.class_names.size();
  e.count = d.size();
  e.confusion.assign(classes * classes, 0);
  e.predictions = predictions;
  for (size_t i = 0; i < d.size(); ++i) {
    const auto truth = static_cast<size_t>(d.labels[i]);
    const auto guess = static_cast<size_t>(predictions[i]);
    if (truth == guess) ++e.correct;
    if (truth < classes && guess < classes) ++e.confusion[truth * classes + guess];
  }
  e.accuracy = e.count ? static_cast<double>(e.correct) / static_cast<double>(e.count) : 0.0;
  return e;
}

Evaluation evaluate_float(const ir::Graph& g, const data::Dataset& d, int threads) {
  torch::set_num_threads(threads);
  IrModule model(g);
  model.eval();
  torch::NoGradGuard no_grad;
  std::vector<int64_t> shape = {0};
  shape.insert(shape.end(), d.sample_dims.begin(), d.sample_dims.end());
  std::vector<int32_t> predictions;
  predictions.reserve(d.size());
  double loss_sum = 0;
  constexpr size_t kBatch = 256;
  for (size_t first = 0; first < d.size(); first += kBatch) {
    const size_t n = std::min(kBatch, d.size() - first);
    shape[0] = static_cast<int64_t>(n);
    const torch::Tensor x =
        torch::from_blob(const_cast<float*>(d.sample(first)), shape, torch::kFloat32);
    const torch::Tensor logits = model.forward(x).flatten(1);
    const torch::Tensor best = logits.argmax(1).to(torch::kInt64).contiguous();
    const int64_t* p = best.data_ptr<int64_t>();
    for (size_t i = 0; i < n; ++i) predictions.push_back(static_cast<int32_t>(p[i]));
    const torch::Tensor labels =
        torch::from_blob(const_cast<int32_t*>(d.labels.data() + first), {static_cast<int64_t>(n)},
                         torch::kInt32)
            .to(torch::kInt64);
    if (labels.max().item<int64_t>() < logits.size(1))
      loss_sum += torch::nn::functional::cross_entropy(
                      logits, labels,
                      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                      .item<double>();
    else
      loss_sum = std::numeric_limits<double>::quiet_NaN();  // labels the model has no logit for
  }
  Evaluation e = score_predictions(predictions, d);
  if (e.count > 0) e.loss = loss_sum / static_cast<double>(e.count);
  return e;
}

}  // namespace yono::train
