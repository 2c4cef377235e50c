// Offline memory plan: one arena per model, holding every activation tensor
// at a fixed offset, buffers reused across op steps, plus a decode scratch.
//
// The algorithm works like this:
//  - Op i runs at step i. A buffer is one non-constant tensor together with
//    the Reshape outputs that alias it (a Reshape of an activation is a
//    view, so it costs nothing). It lives from the first to the last step
//    that reads or writes any of its tensors, both inclusive: an op's inputs
//    and outputs never share memory. Graph inputs live from step 0, graph
//    outputs to the last step. Its size is its largest tensor's bytes (4 per
//    f32 element, 1 per int8 one) rounded up to kSectionAlign.
//  - The peak is the largest total size of the buffers live at one step: no
//    plan can be smaller.
//  - One placement pass takes the buffers in a given order. Each buffer
//    goes at the lowest aligned offset where it overlaps no already placed
//    buffer whose lifetime overlaps its own: the first gap between those
//    that it fits, else just past the highest of them. A two-ended pass
//    has the peak as a ceiling: a buffer that cannot go at offset 0 goes
//    flush against the ceiling if it is free there, else at the lowest
//    offset as above. Along a chain this alternates producer and consumer
//    between the two ends, fitting the chain into exactly its peak.
//  - Four passes are run, in this order:
//     1. largest first (earlier first use on ties, as TFLM's
//        GreedyMemoryPlanner orders), bottom-up;
//     2. first-use order, bottom-up;
//     3. first-use order, two-ended;
//     4. largest first, two-ended.
//    Every pass yields a valid plan; the one whose arena (its highest end,
//    rounded up to kSectionAlign) is smallest is kept, the earliest on ties,
//    so the plan is deterministic. No single greedy order wins on every
//    graph, and planning is cheap.
//  - The scratch goes on top of the activations: ops run one at a time, so
//    one region sized for the largest need of any op serves them all, and
//    no kernel's decode can clobber a live tensor.
//
// Like any greedy planner this is not guaranteed optimal (the problem is
// NP-complete); peak_live_bytes reports the lower bound to judge it by.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/ir/ir.h"

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

// Throws yono::Error on a tensor index out of range or on encoded weights
// whose scratch need cannot be computed (say, a PQ codebook index out of range).
// `codebooks` are the pack's codebooks that PQ-encoded weights of `g` index
// (their dim sets the PQ kernels' scratch need).
// kNone gives every buffer its own range, so after a run every activation
// can still be read (calibration of int8 activations); packs use kReuse.
enum class ArenaReuse { kReuse, kNone };
ArenaPlan plan_arena(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks = {},
                     ArenaReuse reuse = ArenaReuse::kReuse);

}  // namespace yono
