// Training and float evaluation of IR graphs with libtorch (CPU). This
// header is torch-free so the CLI can include it; the torch side lives in
// compiler/src/train and yono/compiler/train/ir_module.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/data_spec.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"
#include "yono/pack.h"

namespace yono::train {

// Per-sample augmentation applied to training batches only.
struct Augmentation {
  int max_shift = 0;             // image: pixels in H and W; sequence/spectrogram: time steps
  bool shift_time_only = false;  // shift only along sample dim 1 (time), edges replicated
  bool horizontal_flip = false;
  float noise = 0.f;  // gaussian noise std as a fraction of the training set's std
};

// Crops/shifts and flips for images, time shift and noise for audio and motion.
Augmentation default_augmentation(const std::string& task);

// A task's augmentation, or for a user's data folder the part that holds for
// any data of its modality: small shifts for images (never flips: text and
// digits change meaning), FSDD's time shift and noise for audio, HMP's (scaled
// to the window) for sensor windows.
Augmentation default_augmentation(const data::DataSpec& spec, const data::DataDescription& data);

struct TrainOptions {
  int epochs = 10;
  int batch = 64;
  std::string optimizer = "sgd";  // "sgd" (Nesterov momentum 0.9) or "adamw"
  double lr = 0.05;               // peak of the warm-up + cosine schedule
  double weight_decay = 5e-4;     // conv/dense weights only
  double label_smoothing = 0.0;
  Augmentation augmentation;
  uint64_t seed = 1;
  int threads = 2;
  bool progress = true;   // progress bar on stderr
  int64_t max_steps = 0;  // > 0: stop after this many steps (timing probes)
  // false: ChannelAffines train as plain affines, no batch statistics
  // (continuing from trained weights whose batch norms are already folded).
  bool batch_norm = true;
};

struct EpochStats {
  int epoch = 0;
  double loss = 0;                  // mean training loss
  double train_accuracy = 0;        // on augmented batches, in [0, 1]
  double validation_accuracy = -1;  // -1 without a validation set
  double seconds = 0;
};

struct TrainResult {
  std::vector<EpochStats> epochs;
  int64_t steps = 0;
  double seconds = 0;
};

// Trains g on `train` (samples shaped like g's input without the batch) and
// writes the trained weights back into g, batch norms folded into their
// ChannelAffine scale/shift. Same seed, same data, same thread count -> the
// same weights. Throws yono::Error on a graph the trainer cannot express.
TrainResult train_model(ir::Graph& g, const data::Dataset& train, const data::Dataset* validation,
                        const TrainOptions& options);

struct Evaluation {
  size_t count = 0;
  size_t correct = 0;
  double accuracy = 0;               // in [0, 1]
  // Mean cross-entropy (nats) of the softmax of the logits against the labels:
  // evaluate_float only (the runtime path keeps top-1s, not logits), -1 there.
  // It separates two models whose accuracy ties, as on a saturated split.
  double loss = -1;
  std::vector<int64_t> confusion;    // classes x classes, row = true label
  std::vector<int32_t> predictions;  // per sample
};

// Builds a confusion matrix from predictions (shared by float and runtime eval).
Evaluation score_predictions(const std::vector<int32_t>& predictions, const data::Dataset& d);

// Top-1 of `model`'s first output, run by the runtime's Session sample by
// sample. `label` starts every error message (e.g. "p.yono: model 'a'"),
// `data_name` names the data in them (e.g. the task). `threads` Sessions,
// each with its own arena over the one read-only pack, take a contiguous
// share of the samples each: the predictions do not depend on the count.
// `progress`: a bar on stderr.
Evaluation evaluate_pack(const Pack& pack, uint32_t model, const data::Dataset& d,
                         const std::string& label, const std::string& data_name, int threads = 1,
                         bool progress = false);

// Top-1 and cross-entropy of g's first output in float with libtorch (eval
// mode; a final Softmax is dropped so the loss sees logits).
Evaluation evaluate_float(const ir::Graph& g, const data::Dataset& d, int threads = 2);

}  // namespace yono::train
