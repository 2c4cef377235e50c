// Folded input layouts in a pack (the InputLayouts section,
// docs/pack-format.md): the device never reads them; `yono run` and
// `yono inspect` use them to accept and describe an input in the model's own
// layout when the importer folded its Transpose into the pack's input.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/pack.h"

namespace yono {

using PackInputLayouts = std::map<std::string, std::vector<ir::InputLayout>>;  // by model

// The section bytes (models in map order); empty when no model has one.
std::vector<uint8_t> encode_input_layouts(const PackInputLayouts& layouts);

PackInputLayouts input_layouts_of(const std::vector<ir::Graph>& graphs);

// The InputLayouts section of a validated pack, if any. Throws yono::Error
// on a malformed section (unterminated text, a model the pack lacks, a perm
// that is not a permutation).
PackInputLayouts read_input_layouts(const Pack& pack);

// The model's own dims of an input whose pack dims are `pack_dims`.
std::vector<int64_t> original_dims(const std::vector<int64_t>& pack_dims,
                                   const std::vector<int64_t>& perm);

// `data` in the model's own layout (original_dims) rearranged to the pack's.
std::vector<float> to_pack_layout(const std::vector<float>& data,
                                  const std::vector<int64_t>& pack_dims,
                                  const std::vector<int64_t>& perm);

}  // namespace yono
