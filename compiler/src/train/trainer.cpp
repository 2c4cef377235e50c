// The training loop: shuffled minibatches with augmentation, SGD (Nesterov)
// or AdamW, linear warm-up then cosine decay per step, a validation pass per
// epoch, and the trained values written back into the IR graph.
#include "yono/compiler/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "batches.h"
#include "lr_schedule.h"
#include "progress.h"
#include "yono/compiler/error.h"
#include "yono/compiler/train/ir_module.h"

namespace yono::train {
namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const IrModule& m, const TrainOptions& o) {
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (o.optimizer == "sgd") {
    auto opts = [&](double wd) {
      return std::make_unique<torch::optim::SGDOptions>(
          torch::optim::SGDOptions(o.lr).momentum(0.9).nesterov(true).weight_decay(wd));
    };
    groups.emplace_back(m.decayed_parameters(), opts(o.weight_decay));
    groups.emplace_back(m.other_parameters(), opts(0.0));
    return std::make_unique<torch::optim::SGD>(groups, torch::optim::SGDOptions(o.lr));
  }
  if (o.optimizer == "adamw") {
    auto opts = [&](double wd) {
      return std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(o.lr).weight_decay(wd));
    };
    groups.emplace_back(m.decayed_parameters(), opts(o.weight_decay));
    groups.emplace_back(m.other_parameters(), opts(0.0));
    return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(o.lr));
  }
  throw Error("unknown optimizer '" + o.optimizer + "' (known: sgd, adamw)");
}

void check_sample_shape(const ir::Graph& g, const data::Dataset& d, const char* which) {
  const ir::Dims& in = g.tensors[static_cast<size_t>(g.inputs.at(0))].dims;
  ir::Dims want(in.begin() + 1, in.end());
  if (want != ir::Dims(d.sample_dims.begin(), d.sample_dims.end()))
    throw Error(std::string(which) + " samples are " + ir::dims_string(d.sample_dims) +
                " but model '" + g.name + "' takes " + ir::dims_string(in));
  const ir::Dims& out = g.tensors[static_cast<size_t>(g.outputs.at(0))].dims;
  if (ir::element_count(out) < static_cast<int64_t>(d.class_names.size()))
    throw Error("model '" + g.name + "' has " + std::to_string(ir::element_count(out)) +
                " outputs for " + std::to_string(d.class_names.size()) + " classes");
}

}  // namespace

Augmentation default_augmentation(const std::string& task) {
  Augmentation a;
  if (task == "cifar10") {
    a.max_shift = 4;  // = random crop of a 4-pixel zero-padded image
    a.horizontal_flip = true;
  } else if (task == "fashion-mnist") {
    a.max_shift = 2;
  } else if (task == "fsdd" || task == "fsdd-mfcc") {
    a.max_shift = 4;  // frames of 10 ms
    a.shift_time_only = true;
    a.noise = 0.05f;
  } else if (task == "hmp") {
    a.max_shift = 8;  // samples at 32 Hz
    a.shift_time_only = true;
    a.noise = 0.05f;
  }
  return a;
}

Augmentation default_augmentation(const data::DataSpec& spec, const data::DataDescription& d) {
  if (!spec.task.empty()) return default_augmentation(spec.task);
  Augmentation a;
  switch (d.modality) {
    case data::Modality::kImage: {
      // 2 pixels at 28 or 32 a side, as Fashion-MNIST; 1 for tiny images.
      const int64_t side = std::min(d.sample_dims.at(1), d.sample_dims.at(2));
      a.max_shift = static_cast<int>(std::max<int64_t>(1, side / 14));
      break;
    }
    case data::Modality::kAudio: a = default_augmentation("fsdd"); break;
    case data::Modality::kSensor: {
      a = default_augmentation("hmp");  // 8 samples of a 160-sample window
      a.max_shift = static_cast<int>(std::max<int64_t>(1, d.sample_dims.at(1) / 20));
      break;
    }
  }
  return a;
}

TrainResult train_model(ir::Graph& g, const data::Dataset& train, const data::Dataset* validation,
                        const TrainOptions& o) {
  if (train.size() == 0) throw Error("training set is empty");
  if (o.epochs < 1 || o.batch < 1) throw Error("epochs and batch size must be at least 1");
  check_sample_shape(g, train, "training");
  if (validation && validation->size() > 0) check_sample_shape(g, *validation, "validation");

  torch::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  auto model = std::make_shared<IrModule>(g, true, o.batch_norm);
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(*model, o);
  namespace F = torch::nn::functional;
  const auto loss_options = F::CrossEntropyFuncOptions().label_smoothing(o.label_smoothing);

  const auto batch = static_cast<size_t>(o.batch);
  const int64_t steps_per_epoch = static_cast<int64_t>((train.size() + batch - 1) / batch);
  int64_t total_steps = steps_per_epoch * o.epochs;
  if (o.max_steps > 0) total_steps = std::min(total_steps, o.max_steps);
  const float noise_std = o.augmentation.noise * sample_std(train);
  std::vector<int64_t> shape = {0};
  shape.insert(shape.end(), train.sample_dims.begin(), train.sample_dims.end());

  Progress progress(o.progress, o.epochs, steps_per_epoch, total_steps);
  TrainResult result;
  const auto start = std::chrono::steady_clock::now();
  std::vector<float> buffer;
  std::vector<int64_t> labels;
  for (int epoch = 1; epoch <= o.epochs && result.steps < total_steps; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    model->train();
    const uint64_t epoch_seed = o.seed * 1000003ull + static_cast<uint64_t>(epoch);
    const std::vector<size_t> order = data::seeded_permutation(train.size(), epoch_seed);
    Rng rng(epoch_seed ^ 0xA11CE5EEDull);
    double loss_sum = 0;
    size_t correct = 0, seen = 0;
    int64_t step = 0;
    for (size_t first = 0; first < order.size() && result.steps < total_steps; first += batch) {
      const std::vector<size_t> idx(
          order.begin() + static_cast<std::ptrdiff_t>(first),
          order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), first + batch)));
      assemble_batch(train, idx, o.augmentation, noise_std, rng, buffer, labels);
      shape[0] = static_cast<int64_t>(idx.size());
      const torch::Tensor x = torch::from_blob(buffer.data(), shape, torch::kFloat32);
      const torch::Tensor y = torch::from_blob(labels.data(), {shape[0]}, torch::kInt64);

      const double lr_scale = lr_schedule(result.steps, total_steps);
      for (auto& group : optimizer->param_groups()) group.options().set_lr(o.lr * lr_scale);
      optimizer->zero_grad();
      const torch::Tensor logits = model->forward(x);
      const torch::Tensor loss = F::cross_entropy(logits, y, loss_options);
      loss.backward();
      optimizer->step();

      const double l = loss.item<double>();
      if (!std::isfinite(l))
        throw Error("training of '" + g.name + "' diverged (loss " + std::to_string(l) +
                    " at epoch " + std::to_string(epoch) + "); try a smaller --lr");
      loss_sum += l * static_cast<double>(idx.size());
      correct += static_cast<size_t>(logits.argmax(1).eq(y).sum().item<int64_t>());
      seen += idx.size();
      ++step;
      ++result.steps;
      progress.step(epoch, step, loss_sum / static_cast<double>(seen),
                    static_cast<double>(correct) / static_cast<double>(seen));
    }
    EpochStats s;
    s.epoch = epoch;
    s.loss = loss_sum / static_cast<double>(std::max<size_t>(1, seen));
    s.train_accuracy =
        static_cast<double>(correct) / static_cast<double>(std::max<size_t>(1, seen));
    s.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    char line[200];
    std::snprintf(line, sizeof line, "epoch %d/%d loss %.4f train acc %.2f%%", epoch, o.epochs,
                  s.loss, 100.0 * s.train_accuracy);
    std::string summary = line;
    if (validation && validation->size() > 0) {
      ir::Graph snapshot = g;
      model->write_back(snapshot);
      s.validation_accuracy = evaluate_float(snapshot, *validation, o.threads).accuracy;
      std::snprintf(line, sizeof line, " val acc %.2f%%", 100.0 * s.validation_accuracy);
      summary += line;
    }
    progress.end_epoch(summary + " (" + format_duration(s.seconds) + ")");
    result.epochs.push_back(s);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  model->write_back(g);
  return result;
}

}  // namespace yono::train
