// Greedy offline arena planning; the algorithm is stated in arena_plan.h.
// Several greedy strategies are tried (largest first, as TFLM does, and
// first-use order, each bottom-up or two-ended under the peak as a ceiling)
// and the smallest arena wins: no single greedy order is best on every
// graph, and planning is cheap.
#include "yono/compiler/pack/arena_plan.h"

#include <algorithm>
#include <numeric>

#include "lower_ops.h"
#include "yono/compiler/error.h"
#include "yono/format.h"

namespace yono {
namespace {

constexpr int64_t kAlign = kSectionAlign;

int64_t align_up(int64_t v) {
  return (v + kAlign - 1) / kAlign * kAlign;
}

// One arena buffer: a tensor plus every Reshape output aliasing it.
struct Buffer {
  int64_t size = 0;  // aligned bytes
  int first = 0;     // first op step it must hold data
  int last = 0;      // last op step it must hold data (inclusive)
  int64_t offset = -1;
};

bool lifetimes_overlap(const Buffer& a, const Buffer& b) {
  return a.first <= b.last && b.first <= a.last;
}

bool is_free(const std::vector<const Buffer*>& conflicts, int64_t offset, int64_t size) {
  for (const Buffer* o : conflicts)
    if (offset < o->offset + o->size && o->offset < offset + size) return false;
  return true;
}

// Places buffers in the given order at the lowest aligned offset that does
// not collide with an already placed buffer whose lifetime overlaps. With a
// `ceiling` (> 0), a buffer that cannot go at offset 0 is first tried flush
// against the ceiling: along a chain this alternates producer and consumer
// between the two ends, which fits any chain into exactly its peak.
int64_t place(std::vector<Buffer>& buffers, const std::vector<size_t>& order, int64_t ceiling) {
  for (Buffer& b : buffers) b.offset = -1;
  int64_t arena = 0;
  std::vector<const Buffer*> conflicts;
  for (size_t idx : order) {
    Buffer& b = buffers[idx];
    conflicts.clear();
    for (const Buffer& o : buffers)
      if (o.offset >= 0 && lifetimes_overlap(b, o)) conflicts.push_back(&o);
    std::sort(conflicts.begin(), conflicts.end(),
              [](const Buffer* x, const Buffer* y) { return x->offset < y->offset; });
    int64_t candidate = 0;
    if (ceiling > 0 && !is_free(conflicts, 0, b.size) && ceiling >= b.size &&
        is_free(conflicts, ceiling - b.size, b.size)) {
      candidate = ceiling - b.size;
    } else {
      for (const Buffer* o : conflicts) {
        if (candidate + b.size <= o->offset) break;
        candidate = std::max(candidate, align_up(o->offset + o->size));
      }
    }
    b.offset = candidate;
    arena = std::max(arena, candidate + b.size);
  }
  return align_up(arena);
}

// The last op step (0 for a graph without ops), which graph outputs live to.
int last_step(const ir::Graph& g) {
  return std::max(static_cast<int>(g.ops.size()) - 1, 0);
}

// Throws unless every tensor index of g's ops, inputs and outputs is in range.
void check_tensor_indices(const ir::Graph& g) {
  const int n_tensors = static_cast<int>(g.tensors.size());
  auto check = [&](int t) {
    if (t < 0 || t >= n_tensors) {
      throw Error("model '" + g.name + "': tensor index " + std::to_string(t) + " out of range");
    }
  };
  for (const ir::Op& op : g.ops) {
    for (int t : op.inputs) check(t);
    for (int t : op.outputs) check(t);
  }
  for (int t : g.inputs) check(t);
  for (int t : g.outputs) check(t);
}

// For each tensor, the tensor that owns its buffer: itself, except that a
// Reshape output aliases its (activation) input. Ops are topologically
// ordered, so the input's owner is final when the Reshape is reached.
std::vector<int> buffer_owners(const ir::Graph& g) {
  std::vector<int> owner(g.tensors.size());
  std::iota(owner.begin(), owner.end(), 0);
  for (const ir::Op& op : g.ops) {
    if (std::holds_alternative<ir::ReshapeAttrs>(op.attrs) && op.inputs.size() == 1 &&
        op.outputs.size() == 1 && !g.tensors[op.inputs[0]].is_constant) {
      owner[op.outputs[0]] = owner[op.inputs[0]];
    }
  }
  return owner;
}

// The activation buffers, unplaced, and which one each tensor lives in.
struct Buffers {
  std::vector<Buffer> list;
  std::vector<int> of_tensor;  // index into list; -1 for constants
};

// A buffer lives from the first to the last op step that reads or writes any
// of its tensors; graph inputs from step 0, graph outputs to the last step.
// Its size is the largest of its tensors' sizes (of their stored type), aligned.
Buffers gather_buffers(const ir::Graph& g, const std::vector<int>& owner) {
  const int n_ops = static_cast<int>(g.ops.size());
  Buffers bufs;
  bufs.of_tensor.assign(g.tensors.size(), -1);
  auto touch = [&](int t, int step) {
    if (g.tensors[t].is_constant) return;
    const int o = owner[t];
    if (bufs.of_tensor[o] < 0) {
      bufs.of_tensor[o] = static_cast<int>(bufs.list.size());
      Buffer b;
      b.first = b.last = step;
      bufs.list.push_back(b);
    }
    Buffer& b = bufs.list[bufs.of_tensor[o]];
    b.first = std::min(b.first, step);
    b.last = std::max(b.last, step);
    b.size = std::max(b.size, align_up(ir::element_count(g.tensors[t].dims) *
                                       ir::arena_element_bytes(g.tensors[t])));
    bufs.of_tensor[t] = bufs.of_tensor[o];
  };
  for (int t : g.inputs) touch(t, 0);
  for (int i = 0; i < n_ops; ++i) {
    for (int t : g.ops[i].inputs) touch(t, i);
    for (int t : g.ops[i].outputs) touch(t, i);
  }
  for (int t : g.outputs) touch(t, last_step(g));
  return bufs;
}

// Max over op steps of the bytes of the buffers live at that step.
int64_t peak_live_bytes(const std::vector<Buffer>& buffers, int last) {
  int64_t peak = 0;
  for (int s = 0; s <= last; ++s) {
    int64_t live = 0;
    for (const Buffer& b : buffers)
      if (b.first <= s && s <= b.last) live += b.size;
    peak = std::max(peak, live);
  }
  return peak;
}

// Buffer indices, largest first (earlier first use on ties), as TFLM orders.
std::vector<size_t> largest_first(const std::vector<Buffer>& buffers) {
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (buffers[a].size != buffers[b].size) return buffers[a].size > buffers[b].size;
    return buffers[a].first < buffers[b].first;
  });
  return order;
}

// Buffer indices in order of first use.
std::vector<size_t> first_use_order(const std::vector<Buffer>& buffers) {
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return buffers[a].first < buffers[b].first; });
  return order;
}

// Places the buffers by each strategy and keeps the smallest arena (the
// first strategy on ties, so the choice is deterministic): every strategy
// yields a valid plan. Returns the activation arena's size.
int64_t place_best(std::vector<Buffer>& buffers, int64_t peak) {
  const std::vector<size_t> by_size = largest_first(buffers);
  const std::vector<size_t> by_first = first_use_order(buffers);
  const std::pair<const std::vector<size_t>*, int64_t> strategies[] = {
      {&by_size, 0}, {&by_first, 0}, {&by_first, peak}, {&by_size, peak}};
  std::vector<int64_t> best;
  int64_t best_size = -1;
  for (const auto& [order, ceiling] : strategies) {
    const int64_t size = place(buffers, *order, ceiling);
    if (best_size < 0 || size < best_size) {
      best_size = size;
      best.clear();
      for (const Buffer& b : buffers) best.push_back(b.offset);
    }
  }
  for (size_t i = 0; i < buffers.size(); ++i) buffers[i].offset = best[i];
  return best_size;
}

// Ops run one at a time, so one region serves the largest need; it sits
// past every activation so no kernel's decode can clobber a live tensor.
// Int8 convs, faster with more scratch, may take up to a sixth of the
// activations' arena beyond their minimum (which keeps every zoo model's
// int8 arena under 30% of its float32 one).
int64_t scratch_bytes(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks,
                      int64_t activations) {
  int64_t scratch = 0;
  const uint64_t budget = static_cast<uint64_t>(activations / 6);
  for (const ir::Op& op : g.ops)
    scratch =
        std::max(scratch, static_cast<int64_t>(weight_scratch_bytes(g, op, codebooks, budget)));
  return align_up(scratch);
}

}  // namespace

ArenaPlan plan_arena(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks,
                     ArenaReuse reuse) {
  check_tensor_indices(g);
  Buffers bufs = gather_buffers(g, buffer_owners(g));

  ArenaPlan plan;
  plan.peak_live_bytes = peak_live_bytes(bufs.list, last_step(g));
  if (reuse == ArenaReuse::kNone) {  // one range per buffer, in first-use order
    for (size_t i : first_use_order(bufs.list)) {
      bufs.list[i].offset = plan.arena_size;
      plan.arena_size += bufs.list[i].size;
    }
  } else {
    plan.arena_size = place_best(bufs.list, plan.peak_live_bytes);
  }
  plan.offsets.assign(g.tensors.size(), -1);
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (bufs.of_tensor[t] >= 0) plan.offsets[t] = bufs.list[bufs.of_tensor[t]].offset;

  plan.scratch_size = scratch_bytes(g, codebooks, plan.arena_size);
  plan.arena_size += plan.scratch_size;
  return plan;
}

}  // namespace yono
