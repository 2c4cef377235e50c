// The codebooks of an existing pack, back as IR: what `yono compress
// --codebook base.yono` and `yono add` compress new models against, frozen.
#pragma once

#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/pack.h"

namespace yono {

// Every CodebookRecord of `pack`, in pack order (so an ir::PqEncoding's
// codebook index means the same record in both), with the values the device
// decodes (pq.h: f32 as stored, f16 widened exactly, i8 times value_scale).
// Written again by write_pack, each gives back its stored bytes. A v1 pack
// has none.
std::vector<ir::Codebook> read_codebooks(const Pack& pack);

}  // namespace yono
