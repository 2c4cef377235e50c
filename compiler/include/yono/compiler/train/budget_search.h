// --flash-budget BYTES: the compress configuration that fits a flash budget
// and spends its bytes where quantization hurts most. Torch-free header (the
// spending step measures layer sensitivity with libtorch).
//
// Algorithm:
//   1. Compress with the user's options. While the pack is over budget, apply
//      the next step of a fixed ladder, cumulatively, from the cheapest in
//      accuracy to the dearest: f16 scales; f16 codebooks; pointwise D 8; K 128, 64, 32,
//      16; quantize the small layers too (--keep-min-weights 0); kxk D 18.
//      Nothing fits: yono::Error names the smallest size reached.
//   2. With validation data, measure every compressed layer's validation
//      drop when it alone is decoded (sensitivity.h) and, in order of that
//      drop (layers that cost under 0.5 pp are left alone), give each a
//      dearer encoding if the pack still fits: a 3x3 kernel's 9-weight
//      sub-vectors become 3-weight kernel rows (--layer-dim MODEL/OP=3),
//      anything else is kept int8 (--keep-layer MODEL/OP). Greedy: the most
//      harmful layers get the bytes first; each choice is re-measured in
//      bytes (a fresh compress), not in accuracy, since per-layer drops do
//      not add up and fine-tuning changes them anyway.
//   Every configuration tried is a SearchStep of the compress report.
//
// --max-loss PP: the smallest configuration whose every model (with a task)
// stays within PP of its float accuracy on its validation split after
// fine-tuning. The candidates are the user's options and then the shrink
// ladder above applied step by step (each smaller than the one before);
// accuracy falls roughly monotonically along it, so a binary search
// fine-tunes about log2(steps) + 1 of them. The options as given are tried
// first: if even they miss, yono::Error says by how much (the best found).
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/compress/compress_report.h"
#include "yono/compiler/data/dataset.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/compiler/train/finetune.h"

namespace yono::train {

struct BudgetSearch {
  CompressOptions options;      // the chosen configuration
  CompressedModels compressed;  // compress_models(models, options)
  uint64_t bytes = 0;           // its pack size
  std::vector<SearchStep> steps;
};

// validation[m] may be null (model m's layers are not re-spent); all null:
// step 2 is skipped. Deterministic. Throws yono::Error when no configuration
// fits.
BudgetSearch fit_flash_budget(const std::vector<ir::Graph>& models, const CompressOptions& base,
                              uint64_t budget, const PackWriteOptions& pack,
                              const std::vector<const data::Dataset*>& validation, int threads,
                              bool progress);

struct LossSearch {
  CompressOptions options;  // the chosen configuration
  FinetuneResult result;    // its fine-tuned models
  uint64_t bytes = 0;
  std::vector<SearchStep> steps;
};

// max_loss: a fraction (0.01 = 1 pp). tasks as finetune() takes them; at
// least one must have training and validation data. Deterministic.
LossSearch meet_max_loss(const std::vector<ir::Graph>& models, const CompressOptions& base,
                         double max_loss, const PackWriteOptions& pack,
                         const std::vector<FinetuneTask>& tasks, const FinetuneOptions& options);

}  // namespace yono::train
