// Greedy offline arena planning. Several greedy strategies are tried
// (largest first, as TFLM does, and first-use order, each bottom-up or
// two-ended under the peak as a ceiling) and the smallest arena wins: no
// single greedy order is best on every graph, and planning is cheap.
#include "yono/compiler/arena_plan.h"

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

}  // namespace

ArenaPlan plan_arena(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks) {
  const int n_tensors = static_cast<int>(g.tensors.size());
  const int n_ops = static_cast<int>(g.ops.size());
  const int end_step = std::max(n_ops - 1, 0);
  auto check_index = [&](int t) {
    if (t < 0 || t >= n_tensors) {
      throw Error("model '" + g.name + "': tensor index " + std::to_string(t) + " out of range");
    }
  };

  // Reshape outputs alias their (activation) input: map each tensor to the
  // tensor that owns its buffer. Ops are topologically ordered, so the input's
  // owner is final when the Reshape is reached.
  std::vector<int> owner(n_tensors);
  std::iota(owner.begin(), owner.end(), 0);
  for (const ir::Op& op : g.ops) {
    for (int t : op.inputs) check_index(t);
    for (int t : op.outputs) check_index(t);
    if (std::holds_alternative<ir::ReshapeAttrs>(op.attrs) && op.inputs.size() == 1 &&
        op.outputs.size() == 1 && !g.tensors[op.inputs[0]].is_constant) {
      owner[op.outputs[0]] = owner[op.inputs[0]];
    }
  }

  // Lifetimes in op steps, gathered per owning buffer.
  std::vector<int> buffer_of(n_tensors, -1);
  std::vector<Buffer> buffers;
  auto touch = [&](int t, int step) {
    if (g.tensors[t].is_constant) return;
    const int o = owner[t];
    if (buffer_of[o] < 0) {
      buffer_of[o] = static_cast<int>(buffers.size());
      Buffer b;
      b.first = b.last = step;
      buffers.push_back(b);
    }
    Buffer& b = buffers[buffer_of[o]];
    b.first = std::min(b.first, step);
    b.last = std::max(b.last, step);
    b.size = std::max(b.size, align_up(ir::element_count(g.tensors[t].dims) * 4));
    buffer_of[t] = buffer_of[o];
  };
  for (int t : g.inputs) {
    check_index(t);
    touch(t, 0);
  }
  for (int i = 0; i < n_ops; ++i) {
    for (int t : g.ops[i].inputs) touch(t, i);
    for (int t : g.ops[i].outputs) touch(t, i);
  }
  for (int t : g.outputs) {
    check_index(t);
    touch(t, end_step);
  }

  ArenaPlan plan;
  for (int s = 0; s <= end_step; ++s) {
    int64_t live = 0;
    for (const Buffer& b : buffers)
      if (b.first <= s && s <= b.last) live += b.size;
    plan.peak_live_bytes = std::max(plan.peak_live_bytes, live);
  }

  std::vector<size_t> by_size(buffers.size());
  std::iota(by_size.begin(), by_size.end(), 0);
  std::vector<size_t> by_first = by_size;
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t a, size_t b) {
    if (buffers[a].size != buffers[b].size) return buffers[a].size > buffers[b].size;
    return buffers[a].first < buffers[b].first;
  });
  std::stable_sort(by_first.begin(), by_first.end(),
                   [&](size_t a, size_t b) { return buffers[a].first < buffers[b].first; });

  // Every strategy yields a valid plan; keep the smallest arena (the first
  // one on ties, so the choice is deterministic).
  const std::pair<const std::vector<size_t>*, int64_t> strategies[] = {
      {&by_size, 0},
      {&by_first, 0},
      {&by_first, plan.peak_live_bytes},
      {&by_size, plan.peak_live_bytes}};
  std::vector<int64_t> best;
  plan.arena_size = -1;
  for (const auto& [order, ceiling] : strategies) {
    const int64_t size = place(buffers, *order, ceiling);
    if (plan.arena_size < 0 || size < plan.arena_size) {
      plan.arena_size = size;
      best.clear();
      for (const Buffer& b : buffers) best.push_back(b.offset);
    }
  }
  for (size_t i = 0; i < buffers.size(); ++i) buffers[i].offset = best[i];

  plan.offsets.assign(n_tensors, -1);
  for (int t = 0; t < n_tensors; ++t)
    if (buffer_of[t] >= 0) plan.offsets[t] = buffers[buffer_of[t]].offset;

  // Ops run one at a time, so one region serves the largest need; it sits
  // past every activation so no kernel's decode can clobber a live tensor.
  int64_t scratch = 0;
  for (const ir::Op& op : g.ops)
    scratch = std::max(scratch, static_cast<int64_t>(weight_scratch_bytes(g, op, codebooks)));
  plan.scratch_size = align_up(scratch);
  plan.arena_size += plan.scratch_size;
  return plan;
}

}  // namespace yono
