// Runs every model of an opened pack the way a device would, so the fuzzers
// reach the kernels with whatever records Pack::open let through: the
// validator's promise is that Session::invoke then never reads or writes
// outside the pack or the arena.
#pragma once

#include <cstdint>

#include "yono/pack.h"

namespace yono::fuzz {

// For each model: the Pack API a tool uses (names, tensor infos), then a
// Session on an arena of exactly arena_size(model) bytes (no rounding, so
// AddressSanitizer sees a write one byte past it), fixed inputs, invoke, and
// a read of every output. Models whose arena exceeds max_arena are only
// inspected. An inconsistency a valid pack cannot have aborts.
void run_every_model(const Pack& pack, uint32_t max_arena);

}  // namespace yono::fuzz
