// One model's records and payloads, appended to pack sections: shared by
// write_pack (a whole pack) and grow_pack (a segment appended to one).
// Private to compiler/src/pack/.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "pack_sections.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/pack/pack_writer.h"

namespace yono {

// Appends `g`'s tensors, ops, op I/O, params, code blocks, payloads and its
// ModelRecord to `s`; every index and offset is relative to `s`'s sections.
// Encodings index `codebooks`, whose payloads `s` does not get. Throws
// yono::Error on a graph the format cannot express.
void append_model(pack_sections::Sections& s, const ir::Graph& g,
                  const std::vector<ir::Codebook>& codebooks, const PackWriteOptions& options);

// Throws yono::Error on an empty or overlong model name, or one that repeats
// another or one of `taken`.
void check_model_names(const std::vector<ir::Graph>& models, std::set<std::string> taken);

}  // namespace yono
