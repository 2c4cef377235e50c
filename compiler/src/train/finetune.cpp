// The fine-tuning loop: all models of a pack train together (each step draws
// one batch from every task and sums the losses, so a shared codeword moves
// for all its users at once), distilled from their float originals, with
// codes re-picked from straight-through shadow weights. See finetune.h.
#include "yono/compiler/train/finetune.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "batches.h"
#include "lr_schedule.h"
#include "progress.h"
#include "tied_weights.h"
#include "yono/compiler/error.h"
#include "yono/compiler/train/ir_module.h"

namespace yono::train {
namespace {

namespace F = torch::nn::functional;

// An endless stream of minibatch indices over one training set: a fresh
// seeded permutation per pass, so tasks of different sizes can share steps.
class BatchStream {
 public:
  BatchStream(size_t n, uint64_t seed) : n_(n), seed_(seed) {}
  std::vector<size_t> next(size_t batch) {
    std::vector<size_t> idx;
    while (idx.size() < std::min(batch, n_)) {
      if (pos_ == order_.size()) {
        order_ = data::seeded_permutation(n_, seed_ * 1000003ull + ++pass_);
        pos_ = 0;
      }
      idx.push_back(order_[pos_++]);
    }
    return idx;
  }

 private:
  size_t n_;
  uint64_t seed_;
  uint64_t pass_ = 0;
  std::vector<size_t> order_;
  size_t pos_ = 0;
};

void check_inputs(const CompressedModels& c, const std::vector<ir::Graph>& teachers,
                  const std::vector<FinetuneTask>& tasks) {
  if (c.models.size() != teachers.size() || c.models.size() != tasks.size())
    throw Error("fine-tuning needs one float model and one task entry per compressed model");
  for (size_t m = 0; m < c.models.size(); ++m) {
    const ir::Graph& g = c.models[m];
    if (g.ops.size() != teachers[m].ops.size() || g.tensors.size() != teachers[m].tensors.size())
      throw Error("model '" + g.name + "': the float model is not the one that was compressed");
    const FinetuneTask& t = tasks[m];
    for (const data::Dataset* d : {t.train, t.validation}) {
      if (d == nullptr) continue;
      if (d == t.train && d->size() == 0)
        throw Error("model '" + g.name + "': task " + t.name + " has no training samples");
      const ir::Dims& in = g.tensors[static_cast<size_t>(g.inputs.at(0))].dims;
      if (ir::Dims(in.begin() + 1, in.end()) !=
          ir::Dims(d->sample_dims.begin(), d->sample_dims.end()))
        throw Error("model '" + g.name + "' takes " + ir::dims_string(in) + " but task " + t.name +
                    " samples are " + ir::dims_string(d->sample_dims));
      const int64_t outputs =
          ir::element_count(g.tensors[static_cast<size_t>(g.outputs.at(0))].dims);
      if (outputs != static_cast<int64_t>(d->class_names.size()))
        throw Error("model '" + g.name + "' has " + std::to_string(outputs) + " outputs but task " +
                    t.name + " has " + std::to_string(d->class_names.size()) + " classes");
    }
  }
}

// Mean |w - decoded| per weight: the YONO paper's measure of how much a layer
// lost to quantization, and so where fine-tuning the codes pays most.
double error_per_weight(const ir::Tensor& original, const ir::Tensor& decoded) {
  double s = 0;
  for (size_t i = 0; i < original.data.size(); ++i)
    s += std::fabs(static_cast<double>(original.data[i]) - decoded.data[i]);
  return s / static_cast<double>(std::max<size_t>(1, original.data.size()));
}

// yono mode: which PQ layers of trained models re-pick codes.
void choose_yono_layers(std::vector<TiedLayer>& layers, const CompressedModels& c,
                        const std::vector<ir::Graph>& teachers,
                        const std::vector<FinetuneTask>& tasks, double fraction) {
  std::vector<std::pair<double, size_t>> ranked;
  std::vector<int> first(c.models.size(), -1), last(c.models.size(), -1);
  for (size_t i = 0; i < layers.size(); ++i) {
    const TiedLayer& l = layers[i];
    if (l.kind != WeightKind::kPq || tasks[l.model].train == nullptr) continue;
    const auto t = static_cast<size_t>(l.tensor);
    ranked.emplace_back(
        -error_per_weight(teachers[l.model].tensors[t], c.models[l.model].tensors[t]), i);
    if (first[l.model] < 0) first[l.model] = static_cast<int>(i);
    last[l.model] = static_cast<int>(i);
  }
  std::sort(ranked.begin(), ranked.end());  // largest error first; ties by layer order
  const auto chosen = static_cast<size_t>(std::ceil(fraction * static_cast<double>(ranked.size())));
  for (size_t r = 0; r < std::min(chosen, ranked.size()); ++r)
    layers[ranked[r].second].reassign = true;
  for (size_t m = 0; m < c.models.size(); ++m) {
    if (first[m] >= 0) layers[static_cast<size_t>(first[m])].reassign = true;
    if (last[m] >= 0) layers[static_cast<size_t>(last[m])].reassign = true;
  }
}

torch::Tensor batch_tensor(std::vector<float>& buffer, const data::Dataset& d, size_t n) {
  std::vector<int64_t> shape = {static_cast<int64_t>(n)};
  shape.insert(shape.end(), d.sample_dims.begin(), d.sample_dims.end());
  return torch::from_blob(buffer.data(), shape, torch::kFloat32);
}

std::string joined_names(const CompressedModels& c, const std::vector<FinetuneTask>& tasks) {
  std::string s;
  for (size_t m = 0; m < c.models.size(); ++m) {
    if (tasks[m].train == nullptr) continue;
    s += (s.empty() ? "" : "+") + c.models[m].name;
  }
  return s;
}

}  // namespace

FinetuneMode parse_finetune_mode(const std::string& name) {
  if (name == "none") return FinetuneMode::kNone;
  if (name == "yono") return FinetuneMode::kYono;
  if (name == "learned") return FinetuneMode::kLearned;
  throw Error("unknown fine-tuning mode '" + name + "' (known: yono, learned, none)");
}

FinetuneResult finetune(const CompressedModels& compressed, const std::vector<ir::Graph>& teachers,
                        const std::vector<FinetuneTask>& tasks, const FinetuneOptions& o) {
  check_inputs(compressed, teachers, tasks);
  if (o.epochs < 1 || o.batch < 1 || o.reassign_every < 1)
    throw Error("fine-tuning epochs, batch and re-assignment interval must be at least 1");
  FinetuneResult result;
  result.compressed = compressed;
  const size_t models = compressed.models.size();
  torch::set_num_threads(o.threads);
  torch::manual_seed(o.seed);

  // Accuracy and loss on a model's validation split; -1 for both without one.
  auto validate = [&](const std::vector<ir::Graph>& graphs, size_t m) {
    const data::Dataset* v = tasks[m].validation;
    if (v == nullptr || v->size() == 0) return Evaluation{};
    return evaluate_float(graphs[m], *v, o.threads);
  };
  auto accuracy_of = [](const Evaluation& e) { return e.count > 0 ? e.accuracy : -1.0; };
  for (size_t m = 0; m < models; ++m) {
    FinetuneModelReport r;
    r.model = compressed.models[m].name;
    const Evaluation f = validate(teachers, m), b = validate(compressed.models, m);
    r.float_validation = accuracy_of(f);
    r.before_validation = accuracy_of(b);
    r.after_validation = r.before_validation;
    r.float_validation_loss = f.loss;
    r.before_validation_loss = b.loss;
    r.after_validation_loss = b.loss;
    result.models.push_back(r);
  }
  std::vector<size_t> trained;
  for (size_t m = 0; m < models; ++m)
    if (tasks[m].train != nullptr) trained.push_back(m);
  if (o.mode == FinetuneMode::kNone || trained.empty()) return result;

  // Students start from the float originals: their weight parameters are the
  // shadows, and biases/affines equal the compressed ones (compress leaves
  // them alone). Batch norms stay folded so the module is exactly the graph.
  std::vector<std::shared_ptr<IrModule>> students, teacher_modules;
  std::vector<TiedLayer> layers;
  for (size_t m = 0; m < models; ++m) {
    students.push_back(std::make_shared<IrModule>(teachers[m], true, false));
    teacher_modules.push_back(std::make_shared<IrModule>(teachers[m], true, false));
    teacher_modules.back()->eval();
    std::vector<torch::Tensor> shadows;
    for (size_t i = 0; i < teachers[m].ops.size(); ++i)
      shadows.push_back(students[m]->weight_parameter(i));
    for (TiedLayer& l : tie_layers(m, compressed.models[m], shadows)) layers.push_back(l);
  }
  std::vector<TiedCodebook> codebooks = tie_codebooks(compressed.codebooks);
  const bool learned = o.mode == FinetuneMode::kLearned;
  if (learned) {
    for (TiedLayer& l : layers) l.reassign = l.kind == WeightKind::kPq;
  } else {
    choose_yono_layers(layers, compressed, teachers, tasks, o.yono_fraction);
  }

  // What trains: everything of a model with a task except, in yono mode, the
  // shadows of layers whose codes stay; codewords only in learned mode.
  std::vector<torch::Tensor> weights, codeword_params;
  for (size_t m : trained)
    for (const torch::Tensor& p : students[m]->other_parameters()) weights.push_back(p);
  for (TiedLayer& l : layers) {
    const bool has_task = tasks[l.model].train != nullptr;
    if (l.kind == WeightKind::kPq) {
      if (has_task) weights.push_back(l.scales.set_requires_grad(true));
      if (has_task && l.reassign) weights.push_back(l.shadow);
    } else if (has_task) {
      weights.push_back(l.shadow);
    }
  }
  if (learned)
    for (TiedCodebook& cb : codebooks)
      codeword_params.push_back(cb.centroids.set_requires_grad(true));
  for (size_t m = 0; m < models; ++m)
    if (tasks[m].train == nullptr)
      for (const torch::Tensor& p : students[m]->parameters()) p.set_requires_grad(false);

  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(weights, std::make_unique<torch::optim::AdamOptions>(o.lr));
  if (!codeword_params.empty())
    groups.emplace_back(codeword_params,
                        std::make_unique<torch::optim::AdamOptions>(o.lr * o.codebook_lr_scale));
  torch::optim::Adam optimizer(groups, torch::optim::AdamOptions(o.lr));
  std::vector<double> base_lr;
  for (auto& g : optimizer.param_groups()) base_lr.push_back(g.options().get_lr());

  size_t largest = 0;
  for (size_t m : trained) largest = std::max(largest, tasks[m].train->size());
  const auto batch = static_cast<size_t>(o.batch);
  const auto steps_per_epoch = static_cast<int64_t>((largest + batch - 1) / batch);
  int64_t total_steps = steps_per_epoch * o.epochs;
  if (o.max_steps > 0) total_steps = std::min(total_steps, o.max_steps);

  std::vector<BatchStream> streams;
  std::vector<float> noise_std(models, 0.f);
  for (size_t m = 0; m < models; ++m) {
    streams.emplace_back(tasks[m].train ? tasks[m].train->size() : 1, o.seed + 7919 * m);
    if (tasks[m].train) noise_std[m] = tasks[m].augmentation.noise * sample_std(*tasks[m].train);
  }
  Rng rng(o.seed ^ 0xF1E7A5EDull);
  const double t = o.temperature;

  // The pack as it would be written now: what validation scores and what a
  // best-epoch snapshot keeps.
  auto snapshot = [&]() {
    CompressedModels c = compressed;
    for (size_t m = 0; m < models; ++m) students[m]->write_back(c.models[m]);
    untie(codebooks, layers, c);
    return c;
  };
  double best_score = 0, best_loss = 0;
  bool have_best = false;

  Progress progress(o.progress, o.epochs, steps_per_epoch, total_steps);
  progress.set_label("finetune " + joined_names(compressed, tasks));
  const auto start = std::chrono::steady_clock::now();
  std::vector<float> buffer;
  std::vector<int64_t> labels;
  {
    torch::NoGradGuard no_grad;  // start from compress's codes, re-picked from the shadows
    for (TiedLayer& l : layers)
      if (l.reassign)
        reassign_codes(l, stored_centroids(codebooks[static_cast<size_t>(l.codebook)]));
  }
  for (int epoch = 1; epoch <= o.epochs && result.steps < total_steps; ++epoch) {
    for (size_t m : trained) students[m]->train();
    double loss_sum = 0, acc_sum = 0;
    int64_t step = 0;
    for (; step < steps_per_epoch && result.steps < total_steps; ++step) {
      const double scale = lr_schedule(result.steps, total_steps);
      for (size_t g = 0; g < base_lr.size(); ++g)
        optimizer.param_groups()[g].options().set_lr(base_lr[g] * scale);
      optimizer.zero_grad();
      for (const TiedLayer& l : layers)
        if (tasks[l.model].train != nullptr)
          students[l.model]->set_forward_weight(l.op, forward_weight(l, codebooks));
      torch::Tensor loss = torch::zeros({});
      double correct = 0;
      for (size_t m : trained) {
        const data::Dataset& d = *tasks[m].train;
        const std::vector<size_t> idx = streams[m].next(batch);
        assemble_batch(d, idx, tasks[m].augmentation, noise_std[m], rng, buffer, labels);
        // Cloned: the buffers are refilled for the next task before backward
        // reads the saved inputs.
        const torch::Tensor x = batch_tensor(buffer, d, idx.size()).clone();
        const torch::Tensor y =
            torch::from_blob(labels.data(), {static_cast<int64_t>(idx.size())}, torch::kInt64)
                .clone();
        const torch::Tensor logits = students[m]->forward(x);
        torch::Tensor task_loss = F::cross_entropy(logits, y) * (1.0 - o.distill);
        if (o.distill > 0) {
          torch::Tensor teacher;
          {
            torch::NoGradGuard no_grad;
            teacher = teacher_modules[m]->forward(x);
          }
          // KL(teacher || student) from log-probabilities on both sides: a
          // teacher probability that underflows to 0 must add 0, not 0 * -inf.
          const torch::Tensor log_t = F::log_softmax(teacher / t, 1);
          const torch::Tensor kd =
              (log_t.exp() * (log_t - F::log_softmax(logits / t, 1))).sum(1).mean() * (t * t);
          task_loss = task_loss + kd * o.distill;
        }
        loss = loss + task_loss;
        correct += logits.argmax(1).eq(y).to(torch::kFloat64).mean().item<double>();
      }
      loss.backward();
      optimizer.step();
      if ((result.steps + 1) % o.reassign_every == 0) {
        torch::NoGradGuard no_grad;
        for (TiedLayer& l : layers)
          if (l.reassign && tasks[l.model].train != nullptr)
            reassign_codes(l, stored_centroids(codebooks[static_cast<size_t>(l.codebook)]));
      }
      const double l = loss.item<double>();
      if (!std::isfinite(l))
        throw Error("fine-tuning diverged (loss " + std::to_string(l) + " at epoch " +
                    std::to_string(epoch) + "); try a smaller --lr");
      loss_sum += l;
      acc_sum += correct / static_cast<double>(trained.size());
      ++result.steps;
      progress.step(epoch, step + 1, loss_sum / static_cast<double>(step + 1),
                    acc_sum / static_cast<double>(step + 1));
    }
    CompressedModels c = snapshot();
    std::string summary =
        "finetune epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs) + " loss " +
        std::to_string(loss_sum / static_cast<double>(std::max<int64_t>(1, step)));
    // The worst drop from float decides (the goal is every model near its
    // float accuracy); the mean drop breaks ties, and on a tie in both (a
    // small or saturated validation split) the lower mean validation loss
    // does: the epoch whose predictions are surer, not merely the first.
    double worst = 0, mean = 0, mean_loss = 0;
    bool scored = false;
    std::vector<Evaluation> val(models);
    for (size_t m : trained) {
      progress.set_label("validate " + compressed.models[m].name);
      val[m] = validate(c.models, m);
      if (val[m].count == 0) continue;
      const double drop = val[m].accuracy - result.models[m].float_validation;
      worst = scored ? std::min(worst, drop) : drop;
      mean += drop / static_cast<double>(trained.size());
      mean_loss += val[m].loss / static_cast<double>(trained.size());
      scored = true;
      char buf[96];
      std::snprintf(buf, sizeof buf, " %s val %.2f%% (loss %.4f)", c.models[m].name.c_str(),
                    100.0 * val[m].accuracy, val[m].loss);
      summary += buf;
    }
    progress.set_label("finetune " + joined_names(compressed, tasks));
    FinetuneEpoch& seen = result.epochs.emplace_back();
    for (const Evaluation& e : val) {
      seen.validation.push_back(accuracy_of(e));
      seen.validation_loss.push_back(e.loss);
    }
    const double score = worst + 1e-3 * mean;
    const bool better = score > best_score || (score == best_score && mean_loss < best_loss);
    if (!o.keep_best || !scored || !have_best || better) {
      if (o.keep_best && scored) {
        best_score = score;
        best_loss = mean_loss;
        have_best = true;
        result.best_epoch = epoch;
      }
      result.compressed = std::move(c);
      for (size_t m : trained) {
        result.models[m].after_validation = accuracy_of(val[m]);
        result.models[m].after_validation_loss = val[m].loss;
      }
    }
    progress.end_epoch(summary);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace yono::train
