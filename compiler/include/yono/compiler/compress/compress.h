// Compressing several imported models together: the YONO scheme (product
// quantization with codebooks shared across models) and the baselines it is
// compared with (int8 per channel, per-layer scalar k-means).
//
// Conv and dense weight tensors are the "layers". They fall into two groups:
//   kxk       conv kernels with kh * kw > 1 that are not depthwise (a 1-D conv
//             with k > 1 too); default D is the most common kh * kw, so a
//             sub-vector is one kernel slice;
//   pointwise 1x1 convs, depthwise convs and dense layers; default D = 4.
// Every other constant (biases, unfolded BatchNorm, ...) stays float32.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono {

enum class LayerGroup { kKxk, kPointwise };
const char* layer_group_name(LayerGroup g);  // "kxk", "pointwise"

enum class CompressMethod { kPq, kInt8, kKmeansScalar };
enum class CodebookSharing {
  kShared,    // one codebook for every layer of every model (one D)
  kPerGroup,  // one codebook per layer group, shared by all models (default)
  kPerModel,  // per-group codebooks of each model alone: the single-model baseline
};
enum class KeepDType { kInt8, kF32 };

// A value set for all groups and/or per group ("--dim 8", "--dim kxk=9"),
// and, for --codewords, per --layer-dim codebook: "kxk/d3=64" is K of the
// codebook of the kxk layers given D = 3 (shown as shared/kxk/d3).
struct GroupValue {
  std::optional<uint32_t> all;
  std::map<LayerGroup, uint32_t> per_group;
  std::map<std::pair<LayerGroup, uint32_t>, uint32_t> per_layer_dim;
};

// Parses repeated "V" / "GROUP=V" / "GROUP/dD=V" arguments of `flag` (for
// messages). A later setting of the same group wins. Throws yono::Error on a
// malformed value or an unknown group.
GroupValue parse_group_values(const std::vector<std::string>& args, const std::string& flag);

// Layers with fewer weights than this stay uncompressed by default: they
// hold a negligible share of the bytes (at most 1 KB each as int8) but are
// typically first convs or classifier heads, where quantization error costs
// the most accuracy.
constexpr int64_t kDefaultKeepMinWeights = 1024;

struct CompressOptions {
  CompressMethod method = CompressMethod::kPq;
  CodebookSharing sharing = CodebookSharing::kPerGroup;
  GroupValue dim;        // sub-vector length D (pq)
  GroupValue codewords;  // K (pq), 2..65536; default 256
  ir::CodebookDType codebook_dtype = ir::CodebookDType::kF32;
  // Per-row scales of every encoded layer (PQ and int8): f16 saves 2 bytes
  // per output channel for a relative error of at most 2^-11 (scales of
  // 2^-14 and above; below, the absolute error is at most 2^-25).
  ir::ScaleDType scale_dtype = ir::ScaleDType::kF32;
  // Conv/Dense biases: f16 saves 2 bytes per output channel, same error.
  ir::FloatDType bias_dtype = ir::FloatDType::kF32;
  uint64_t seed = 0;
  uint32_t bits = 4;  // kmeans-scalar: 2^bits centroids per layer
  int iterations = 25;

  // Keep rules: matching layers are not quantized by `method` and are stored
  // as keep_dtype instead.
  int64_t keep_min_weights = kDefaultKeepMinWeights;
  std::vector<std::string> keep_layers;  // op or weight tensor name, or MODEL/OP
  bool keep_first = false;               // first layer of each model
  bool keep_last = false;                // last layer of each model
  KeepDType keep_dtype = KeepDType::kInt8;

  // pq: layers (op or weight tensor name, or MODEL/OP for one model's layer)
  // given their own sub-vector length.
  // Layers of one group with the same D share a codebook of that D (across
  // models, as the group's does), so a sensitive layer can spend more bits
  // (e.g. a 3x3 conv as 3-weight kernel rows instead of 9-weight slices)
  // without leaving the shared scheme.
  std::map<std::string, uint32_t> layer_dims;

  // pq: compress against these codebooks, frozen (`--codebook base.yono`),
  // as YONO serves a task its codebooks never saw. No k-means runs: a layer
  // takes the codebook its group (or --layer-dim D) names, "shared/kxk",
  // "shared/pointwise/d3", ..., with that codebook's D and K, and
  // CompressedModels::codebooks is exactly this list in this order, so the
  // encodings index the base pack's codebook records. Empty: learn them.
  std::vector<ir::Codebook> frozen_codebooks;
  std::string frozen_source;  // where they came from, for messages
};

// Parses repeated "NAME=D" arguments of --layer-dim; throws yono::Error on a
// malformed value. A later setting of the same name wins.
std::map<std::string, uint32_t> parse_layer_dims(const std::vector<std::string>& args);

constexpr uint32_t kDefaultCodewords = 256;
constexpr uint32_t kDefaultPointwiseDim = 4;
constexpr uint32_t kDefaultSharedDim = 4;
constexpr uint32_t kMaxDim = 256;  // CodebookRecord.dim limit

// How one conv/dense layer ended up stored, and why (the compress report).
struct LayerChoice {
  size_t model = 0;
  std::string layer;  // op name
  int64_t weights = 0;
  std::string encoding;  // "pq", "int8", "f32"
  std::string codebook;  // pq: the codebook's name
  uint32_t dim = 0, codewords = 0;
  std::string reason;
};

struct CompressedModels {
  std::vector<ir::Graph> models;        // weights carry encodings; data = decoded
  std::vector<ir::Codebook> codebooks;  // referenced by PqEncoding::codebook
  std::vector<std::string> warnings;
  std::vector<LayerChoice> choices;  // every layer, in model then op order
};

// Deterministic: the same models and options give the same result. Throws
// yono::Error (one line) on bad options or an empty model list.
CompressedModels compress_models(std::vector<ir::Graph> models, const CompressOptions& options);

}  // namespace yono
