// Fine-tuning a compressed pack (issue 11): after compress_models has put the
// models on shared codebooks, training with the weights tied to codebook +
// codes recovers the accuracy quantization lost. Torch-free so the CLI can
// include it; the torch side is compiler/src/train/finetune*.cpp.
//
// Modes:
//   learned  codewords, per-row scales, biases and channel affines train; a
//            PQ weight is scales[row] * codebook[codes] built in torch, so
//            every sub-vector of every model assigned to a codeword adds its
//            gradient to it. Each layer also keeps a float shadow weight
//            trained straight-through (it gets the quantized weight's
//            gradient) and its codes are re-picked from the shadow every
//            `reassign_every` steps: a probe re-picking only every 100 steps
//            diverged, every step worked best.
//   yono     codebooks frozen (the YONO paper): the PQ layers with the largest
//            quantization error per weight, plus each model's first and last
//            one, train shadows whose codes are re-picked against the frozen
//            codebook; scales, biases and affines train everywhere.
//   none     nothing trains; the pack is what compress_models made.
// Both modes distill each model from its float original (KL at temperature T
// mixed with hard-label cross entropy). Layers a keep rule stored as int8
// train too, fake-quantized per channel, and are re-quantized at the end;
// float32 kept layers train plainly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/train/trainer.h"

namespace yono::train {

enum class FinetuneMode { kNone, kYono, kLearned };

// "none", "yono", "learned"; throws yono::Error on anything else.
FinetuneMode parse_finetune_mode(const std::string& name);

struct FinetuneOptions {
  FinetuneMode mode = FinetuneMode::kLearned;
  int epochs = 1;  // an epoch = one pass over the largest training set
  // batch 32 and lr 5e-4 did best on the zoo (docs/finetune-experiments.md).
  int batch = 32;                  // per task; every step draws one batch from every task
  double lr = 5e-4;                // Adam, peak of warm-up + cosine
  double codebook_lr_scale = 1.0;  // learned mode: codewords train at lr * this
  double temperature = 4.0;
  double distill = 0.5;        // weight of the KD term; 1 - distill goes to the labels
  double yono_fraction = 0.5;  // yono mode: share of PQ layers (by error) that re-pick codes
  int reassign_every = 1;      // steps between code re-assignments
  bool keep_best = true;  // return the epoch with the best validation accuracy (ties: lowest loss)
  uint64_t seed = 1;
  int threads = 2;
  bool progress = true;
  int64_t max_steps = 0;  // > 0: stop after this many steps (probes)
};

// One model's data; a model without `train` is not trained (its codes are
// re-picked from its float weights if a shared codebook moved).
struct FinetuneTask {
  std::string name;  // task name, for messages
  const data::Dataset* train = nullptr;
  const data::Dataset* validation = nullptr;  // optional: reports and keep_best
  Augmentation augmentation;
};

struct FinetuneModelReport {
  std::string model;
  double float_validation = -1;   // the teacher
  double before_validation = -1;  // compressed, before fine-tuning
  double after_validation = -1;   // what is returned
  // Mean validation cross-entropy (nats) of the same three; -1 without a split.
  double float_validation_loss = -1, before_validation_loss = -1, after_validation_loss = -1;
};

// One epoch's validation, per model in order (-1 for a model without a split
// or not trained), as the keep_best rule saw it.
struct FinetuneEpoch {
  std::vector<double> validation, validation_loss;
};

struct FinetuneResult {
  CompressedModels compressed;  // every encoded tensor's data = its decode
  std::vector<FinetuneModelReport> models;
  std::vector<FinetuneEpoch> epochs;  // epochs[e - 1] is epoch e
  int best_epoch = 0;  // 0: the last state (no validation or keep_best off)
  int64_t steps = 0;
  double seconds = 0;
};

// `compressed` comes from compress_models(teachers, ...): same models, same
// order, same ops and tensors. tasks has one entry per model. Same inputs,
// seed and threads give the same bytes. Throws yono::Error (one line) on
// mismatched inputs or a graph the trainer cannot express.
FinetuneResult finetune(const CompressedModels& compressed, const std::vector<ir::Graph>& teachers,
                        const std::vector<FinetuneTask>& tasks, const FinetuneOptions& options);

}  // namespace yono::train
