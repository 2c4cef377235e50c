// Offline memory plan: one arena per model, activations placed by a greedy
// best-fit-by-size planner with buffer reuse (as TFLM's GreedyMemoryPlanner).
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/ir.h"

namespace yono {

struct ArenaPlan {
  std::vector<int64_t> offsets;  // per tensor; -1 for constants
  int64_t arena_size = 0;        // bytes, a multiple of kSectionAlign; includes scratch
  // Bytes at the end of the arena, [arena_size - scratch_size, arena_size),
  // for kernels that decode encoded weights: the largest need of any op,
  // rounded to kSectionAlign. 0 for a float-only model.
  int64_t scratch_size = 0;
  // Lower bound the plan is judged against: max over op steps of the bytes
  // (each rounded up to the alignment) of tensors live at that step.
  int64_t peak_live_bytes = 0;
};

// Reshape outputs share their input's buffer (an alias), so views cost nothing.
// `codebooks` are the pack's codebooks that PQ-encoded weights of `g` index
// (their dim sets the PQ kernels' scratch need).
ArenaPlan plan_arena(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks = {});

}  // namespace yono
