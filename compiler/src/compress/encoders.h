// Internal to compress_models: the per-method encoders and the codebook
// finishing step they share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layers.h"
#include "yono/compiler/compress/codebook.h"
#include "yono/compiler/compress/compress.h"
#include "yono/compiler/ir/ir.h"

namespace yono::compress {

// Rounds every value to what `dtype` can store (f16: nearest-even binary16;
// i8: int8 * one per-codebook scale max|c| / 127, see codebook_dtype.cpp).
void round_centroids(std::vector<float>& centroids, ir::CodebookDType dtype);

// Sub-vectors a codebook is learned on, with how many leading lanes of each
// are real weights (a row's tail sub-vector is zero-padded).
struct SubvectorSet {
  uint32_t dim = 0;
  std::vector<float> vectors;   // n x dim
  std::vector<uint32_t> valid;  // n entries, 1..dim
};

// Turns a k-means fit into a pack codebook: at least two codewords (the
// format's minimum), values rounded to `dtype`, and, when rounding changed
// them, every code re-picked against the stored values so the codes are
// optimal for what the device decodes. Returns the codes (one per vector).
ir::Codebook finish_codebook(const std::string& name, CodebookFit fit, const SubvectorSet& set,
                             ir::CodebookDType dtype, std::vector<uint32_t>& codes);

// Sets every code to the nearest of the k `centroids` (set.dim lanes each)
// over the vector's valid lanes; a code given in `codes` is only replaced by
// a strictly nearer one. Deterministic (FAISS runs on one thread).
void assign_codes(const SubvectorSet& set, const std::vector<float>& centroids, uint32_t k,
                  std::vector<uint32_t>& codes);

// Per-output-channel symmetric int8: scale = max|w| / 127 per row. Sets the
// tensor's encoding and replaces its data by the decoded values.
void encode_int8(ir::Tensor& weights, uint32_t rows, uint32_t row_len);

// Rounds an encoded tensor's scales to `dtype` (kF16: nearest-even binary16)
// and recomputes its decoded data from them; float tensors and kF32 are left
// alone. Throws yono::Error naming the tensor for a scale a half cannot hold.
void store_scales_as(ir::Tensor& t, ir::ScaleDType dtype,
                     const std::vector<ir::Codebook>& codebooks);
void store_scales_as(CompressedModels& c, ir::ScaleDType dtype);

// Stores every Conv/Dense bias as `dtype` (kF16: rounded to nearest-even
// binary16); kF32 leaves the biases as they are. Throws yono::Error naming
// the tensor for a bias a half cannot hold.
void store_biases_as(CompressedModels& c, ir::FloatDType dtype);
// Re-rounds every constant stored as kF16 to binary16, after fine-tuning
// wrote trained values back into them.
void round_f16_constants(CompressedModels& c);

// Product quantization of the non-kept layers with codebooks shared as
// options.sharing says. Appends codebooks and warnings to `out`.
void encode_pq(std::vector<ir::Graph>& models, const std::vector<Layer>& layers,
               const CompressOptions& options, CompressedModels& out);

// Deep Compression style weight sharing: per layer, scalar k-means with
// 2^bits centroids, stored as PQ with D = 1, scales 1 and its own codebook.
void encode_kmeans_scalar(std::vector<ir::Graph>& models, const std::vector<Layer>& layers,
                          const CompressOptions& options, CompressedModels& out);

}  // namespace yono::compress
