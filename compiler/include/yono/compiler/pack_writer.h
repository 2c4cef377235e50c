// IR graphs -> pack bytes (docs/pack-format.md), and atomic file output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/ir.h"

namespace yono {

// Serialises several models into one pack. Output is deterministic: the same
// graphs give byte-identical packs. Throws yono::Error on a graph the format
// cannot express (e.g. a dimension that does not fit in 32 bits).
// Models whose constants carry an ir::PqEncoding reference `codebooks` by
// index. A pack with any encoded tensor is written as version 2, otherwise
// as version 1.
std::vector<uint8_t> write_pack(const std::vector<ir::Graph>& models,
                                const std::vector<ir::Codebook>& codebooks = {});

// Writes to path via a temporary file in the same directory and rename(), so
// a failure never leaves a half-written file. Throws yono::Error.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

std::vector<uint8_t> read_file(const std::string& path);  // throws yono::Error

}  // namespace yono
