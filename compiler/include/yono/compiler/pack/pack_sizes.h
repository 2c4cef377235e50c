// Byte accounting of a pack for `yono inspect`: what each layer and model
// really occupies, and what the same pack would occupy if every conv/dense
// weight were float32 or int8 per channel (same graphs, same metadata).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/pack.h"

namespace yono {

// How one conv/dense weight tensor is stored.
struct WeightEncoding {
  std::string kind = "f32";         // "f32", "int8", "pq"
  std::string scales;               // int8 and pq: "f32" or "f16"
  uint32_t codebook = 0xFFFFFFFFu;  // pq only
  uint32_t k = 0, dim = 0, code_bits = 0;
};

WeightEncoding weight_encoding(const Pack& pack, const PackSegment& segment, const TensorRecord& t);

// Payload bytes of a constant as written (codes or values + scales), without
// the 16-byte alignment padding.
uint64_t constant_payload_bytes(const PackSegment& segment, const TensorRecord& t);

struct Sizes {
  uint64_t bytes = 0;    // actual
  uint64_t if_f32 = 0;   // every weight float32
  uint64_t if_int8 = 0;  // every weight int8 per channel, with its scales
};

struct ModelSizes : Sizes {
  uint64_t metadata = 0;   // records, op parameters, names
  uint64_t constants = 0;  // weights/codes/scales/biases incl. alignment and code-block records
  // `constants` split by what the bytes are (the three add up to it):
  uint64_t codes = 0;          // PQ codeword indices
  uint64_t plain_weights = 0;  // conv/dense weights stored as values (int8 or float)
  uint64_t scales_biases = 0;  // per-row scales, code-block records, biases and other constants
  std::vector<uint32_t> codebooks;  // indices of the codebooks its layers use
};

// A model's own bytes; shared codebooks are not included.
ModelSizes model_sizes(const Pack& pack, uint32_t model);

struct CodebookSize {
  std::string name, dtype;
  uint32_t k = 0, dim = 0;
  uint64_t bytes = 0;  // values incl. alignment + record + name
};

std::vector<CodebookSize> codebook_sizes(const Pack& pack);

// Each model's share of the shared codebooks, in bytes: every codebook's
// bytes divided among the models in proportion to the sub-vectors they
// encode with it (a model alone on a codebook carries all of it). Indexed by
// model; the shares add up to the codebooks' bytes.
std::vector<double> codebook_shares(const Pack& pack);

// Whole pack: models + codebooks (counted once) + header, section table and
// padding, the latter kept as they are in the hypothetical packs.
Sizes pack_sizes(const Pack& pack);

}  // namespace yono
