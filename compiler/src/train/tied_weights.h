// Fine-tuning's view of a compressed model's conv/dense weights: PQ weights
// tied to a (shared) codebook, their codes and per-row scales; int8 kept
// layers fake-quantized per channel; float32 kept layers plain. Built from
// the compressed graphs, rebuilt into forward weights every step, and turned
// back into ir encodings whose data is exactly their decode.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/ir/ir.h"

namespace yono::train {

struct TiedCodebook {
  torch::Tensor centroids;  // [K, D], float master copy (trainable in learned mode)
  ir::Codebook stored;      // name, dim, K, dtype; centroids as compressed them
};

enum class WeightKind { kPq, kInt8, kF32 };

struct TiedLayer {
  size_t model = 0;
  size_t op = 0;
  int tensor = -1;  // weight tensor index in its model
  WeightKind kind = WeightKind::kF32;
  uint32_t rows = 0, row_len = 0;
  std::vector<int64_t> dims;
  ir::ScaleDType scale_dtype = ir::ScaleDType::kF32;  // as compressed; untie stores them so
  torch::Tensor shadow;  // the student's weight parameter: float weights trained straight-through
  // PQ only:
  int codebook = -1;
  uint32_t per_row = 0;   // sub-vectors per row
  torch::Tensor codes;    // int64 [rows * per_row]
  torch::Tensor scales;   // [rows], trainable
  bool reassign = false;  // codes follow the shadow; otherwise they stay fixed
};

// The codebooks of a compressed pack as torch tensors.
std::vector<TiedCodebook> tie_codebooks(const std::vector<ir::Codebook>& codebooks);

// Conv/Dense weight layers of model `m` (op order). `shadow_of(op)` gives the
// parameter holding that op's float weight (initialised from the original
// model: re-picking codes from it first reproduces compress_models' choice).
std::vector<TiedLayer> tie_layers(size_t m, const ir::Graph& compressed,
                                  const std::vector<torch::Tensor>& shadows);

// The codebook as the pack will store it (rounded to its dtype), with the
// master copy's gradient passed straight through: training then sees the
// values the device decodes, which matters for i8 codebooks (steps of
// max|c| / 127) and costs nothing for f32.
torch::Tensor stored_centroids(const TiedCodebook& cb);

// The weight the forward pass uses: PQ scales[row] * codebook[codes] (+ the
// shadow's straight-through gradient when it re-picks codes), int8
// fake-quantized shadow, or the shadow itself.
torch::Tensor forward_weight(const TiedLayer& l, const std::vector<TiedCodebook>& codebooks);

// Re-picks every code of l as the codeword nearest to its shadow's
// sub-vector divided by the row scale, over the real lanes only (a row's
// tail sub-vector is zero-padded), as compress_models assigns them.
void reassign_codes(TiedLayer& l, const torch::Tensor& centroids);

// Writes codebooks and weights into `out` (a copy of the compressed pack
// whose biases and affines are already updated): centroids rounded to their
// dtype, codes re-picked against the rounded values where they follow a
// shadow, data = the exact decode of every encoding, f16 biases re-rounded.
void untie(const std::vector<TiedCodebook>& codebooks, std::vector<TiedLayer> layers,
           CompressedModels& out);

}  // namespace yono::train
