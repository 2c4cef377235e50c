// IR op (attributes + tensor shapes) -> the pack's OpType and parameter
// struct bytes. Private to the pack writer.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/format.h"

namespace yono {

struct LoweredOp {
  OpType type;
  std::vector<uint8_t> params;  // the format.h params struct, empty for Reshape
};

// Checks everything the on-device validator will check (counts, shapes,
// windows) so a bad graph fails here with a message naming the op instead of
// producing a pack the device rejects. Throws yono::Error.
LoweredOp lower_op(const ir::Graph& g, const ir::Op& op);

// Scratch bytes the op's kernel needs to decode its encoded weights (0 for
// float weights and weightless ops), as the runtime computes it from the
// same yono/pq.h and yono/kernels_s8.h functions. An int8 conv, which runs
// faster with more, takes what fits `budget` (at least its minimum). Throws yono::Error on a PQ
// codebook index that is out of range or an encoding on anything but Conv/Dense weights.
uint64_t weight_scratch_bytes(const ir::Graph& g, const ir::Op& op,
                              const std::vector<ir::Codebook>& codebooks, uint64_t budget);

}  // namespace yono
