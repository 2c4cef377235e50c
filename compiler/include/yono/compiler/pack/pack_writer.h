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
struct PackWriteOptions {
  // The runtime finds models by name and never looks at a tensor's name, so
  // by default only model names, codebook names and each model's input and
  // output tensor names (the interface `yono run` and the C API speak of)
  // are stored; other tensors get the empty name. On the four-model zoo the
  // dropped names are ~1.5 KB of flash.
  bool keep_names = false;
  // Every activation gets its own arena range (ArenaReuse::kNone): a host
  // pack whose activations can all be read after a run, for calibration.
  bool distinct_activations = false;
};
// The IR tensor indices a model's TensorRecords hold, in record order: every
// tensor an op or the graph interface uses, in IR order. Needs a graph
// whose indices are in range (write_pack checks that first).
std::vector<int> stored_tensors(const ir::Graph& g);

std::vector<uint8_t> write_pack(const std::vector<ir::Graph>& models,
                                const std::vector<ir::Codebook>& codebooks = {},
                                const PackWriteOptions& options = {});

}  // namespace yono
