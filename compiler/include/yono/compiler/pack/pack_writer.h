// IR graphs -> pack bytes (docs/pack-format.md).
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/ir/ir.h"

namespace yono {

// Serialises several models into one pack. Output is deterministic: the same
// graphs give byte-identical packs. Throws yono::Error on a graph the format
// cannot express (e.g. a dimension that does not fit in 32 bits).
// Models whose constants carry an ir::PqEncoding reference `codebooks` by
// index. A pack with any encoded tensor is written as version 2, otherwise
// as version 1.
std::vector<uint8_t> write_pack(const std::vector<ir::Graph>& models,
                                const std::vector<ir::Codebook>& codebooks = {});

}  // namespace yono
