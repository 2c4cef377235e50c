// Growing a pack by models, over the air: `yono add`. The new models go into
// a segment appended after every byte of the base pack, so a device that
// holds the base needs only the delta (pack_delta) to hold the grown pack.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/pack.h"

namespace yono {

// The bytes of `base` (a valid pack with codebooks) unchanged except for
// its 32-byte header, followed by one new segment holding `models` (their
// Strings, Tensors, Ops, OpIo, Params, CodeBlocks and Weights), a new Models
// section (base's records, then the new ones) and a new section table; the
// result is a version 3 pack (docs/pack-format.md, "Segments"). `models`
// must be encoded against `codebooks` == read_codebooks(base), which stay
// in the base's segment 0 and are not written again. Deterministic. Throws
// yono::Error on a base without codebooks, codebooks that differ from the
// base's, a model name the base already has, or a full segment table.
std::vector<uint8_t> grow_pack(const Pack& base, const std::vector<ir::Graph>& models,
                               const std::vector<ir::Codebook>& codebooks,
                               const PackWriteOptions& options = {});

// What a device holding `base` must receive to hold `grown`: bytes of the
// common length that differ, plus every byte past it.
struct PackDelta {
  uint64_t changed = 0;                          // in [0, min(base, grown) size)
  uint64_t appended = 0;                         // grown bytes past the base's end
  uint64_t removed = 0;                          // base bytes past the grown pack's end
  uint64_t first_changed = 0, last_changed = 0;  // byte range of the changes (if any)
  uint64_t bytes() const { return changed + appended; }
};
PackDelta pack_delta(const std::vector<uint8_t>& base, const std::vector<uint8_t>& grown);

}  // namespace yono
