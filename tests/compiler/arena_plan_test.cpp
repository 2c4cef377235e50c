// The planner's two promises: buffers that are live at the same time never
// share bytes, and the arena stays close to the peak of live bytes.
#include "yono/compiler/pack/arena_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/pq.h"

namespace {

using yono::ir::Graph;

int add(Graph& g, int64_t elems, bool constant = false) {
  yono::ir::Tensor t;
  t.name = "t" + std::to_string(g.tensors.size());
  t.dims = {1, elems};
  t.is_constant = constant;
  if (constant) t.data.assign(static_cast<size_t>(elems), 0.0f);
  return g.add_tensor(std::move(t));
}

void add_op(Graph& g, std::vector<int> inputs, int output, bool reshape = false) {
  yono::ir::Op op;
  op.name = "op" + std::to_string(g.ops.size());
  if (reshape) {
    op.attrs = yono::ir::ReshapeAttrs{g.tensors[output].dims};
  } else {
    op.attrs = yono::ir::UnaryAttrs{};
  }
  op.inputs = std::move(inputs);
  op.outputs = {output};
  g.ops.push_back(std::move(op));
}

int64_t rand_elems(std::mt19937& rng) {
  return std::uniform_int_distribution<int64_t>(1, 300)(rng);
}

// A chain with occasional residual skips, diamonds (two branches joined),
// concats of several earlier tensors, constants and Reshape aliases.
Graph random_graph(std::mt19937& rng, int kind) {
  Graph g;
  g.name = "random";
  int cur = add(g, rand_elems(rng));
  g.inputs = {cur};
  std::vector<int> recent = {cur};
  const int steps = std::uniform_int_distribution<int>(1, 25)(rng);
  for (int s = 0; s < steps; ++s) {
    const int choice = kind == 0 ? 0 : std::uniform_int_distribution<int>(0, 4)(rng);
    int out = -1;
    if (choice == 0) {  // chain
      out = add(g, rand_elems(rng));
      add_op(g, {cur}, out);
    } else if (choice == 1) {  // residual: join with a tensor from earlier
      const int skip = recent[std::uniform_int_distribution<size_t>(0, recent.size() - 1)(rng)];
      out = add(g, rand_elems(rng));
      add_op(g, {cur, skip, add(g, 4, true)}, out);
    } else if (choice == 2) {  // diamond: two branches from cur, then join
      const int a = add(g, rand_elems(rng));
      add_op(g, {cur}, a);
      const int b = add(g, rand_elems(rng));
      add_op(g, {cur}, b);
      out = add(g, rand_elems(rng));
      add_op(g, {a, b}, out);
    } else if (choice == 3) {  // concat of up to four recent tensors
      std::vector<int> ins = {cur};
      for (int k = 0; k < 3 && k < static_cast<int>(recent.size()); ++k)
        ins.push_back(recent[recent.size() - 1 - k]);
      out = add(g, rand_elems(rng) * 3);
      add_op(g, ins, out);
    } else {  // reshape alias
      out = add(g, g.tensors[cur].dims[1]);
      add_op(g, {cur}, out, true);
    }
    recent.push_back(out);
    cur = out;
  }
  g.outputs = {cur};
  if (kind == 2 && recent.size() > 2) g.outputs.push_back(recent[1]);  // an early output
  return g;
}

struct Interval {
  int first, last;
};

// Lifetimes computed from the definition, independently of the planner.
std::vector<Interval> lifetimes(const Graph& g, std::vector<int>& root) {
  const int n = static_cast<int>(g.tensors.size());
  const int end = std::max(static_cast<int>(g.ops.size()) - 1, 0);
  root.resize(n);
  for (int t = 0; t < n; ++t) root[t] = t;
  for (const auto& op : g.ops)
    if (std::holds_alternative<yono::ir::ReshapeAttrs>(op.attrs))
      root[op.outputs[0]] = root[op.inputs[0]];
  std::vector<Interval> life(n, {1 << 30, -1});
  auto use = [&](int t, int step) {
    life[root[t]].first = std::min(life[root[t]].first, step);
    life[root[t]].last = std::max(life[root[t]].last, step);
  };
  for (int t : g.inputs) use(t, 0);
  for (size_t i = 0; i < g.ops.size(); ++i) {
    for (int t : g.ops[i].inputs)
      if (!g.tensors[t].is_constant) use(t, static_cast<int>(i));
    use(g.ops[i].outputs[0], static_cast<int>(i));
  }
  for (int t : g.outputs) use(t, end);
  return life;
}

int64_t aligned_bytes(const Graph& g, int t) {
  return (yono::ir::element_count(g.tensors[t].dims) * 4 + 15) / 16 * 16;
}

void check_plan(const Graph& g, bool near_peak) {
  const yono::ArenaPlan plan = yono::plan_arena(g);
  std::vector<int> root;
  const auto life = lifetimes(g, root);
  const int n = static_cast<int>(g.tensors.size());
  ASSERT_EQ(plan.offsets.size(), g.tensors.size());
  EXPECT_EQ(plan.arena_size % 16, 0);
  for (int t = 0; t < n; ++t) {
    if (g.tensors[t].is_constant) {
      EXPECT_EQ(plan.offsets[t], -1);
      continue;
    }
    ASSERT_GE(plan.offsets[t], 0);
    EXPECT_EQ(plan.offsets[t] % 16, 0);
    EXPECT_LE(plan.offsets[t] + aligned_bytes(g, t), plan.arena_size);
    if (root[t] != t) {
      EXPECT_EQ(plan.offsets[t], plan.offsets[root[t]]) << "reshape alias";
    }
  }
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b) {
      if (g.tensors[a].is_constant || g.tensors[b].is_constant || root[a] == root[b]) continue;
      const Interval la = life[root[a]], lb = life[root[b]];
      if (la.last < lb.first || lb.last < la.first) continue;
      const int64_t ea = plan.offsets[a] + aligned_bytes(g, a);
      const int64_t eb = plan.offsets[b] + aligned_bytes(g, b);
      ASSERT_TRUE(ea <= plan.offsets[b] || eb <= plan.offsets[a])
          << "tensors " << a << " and " << b << " are live together but overlap";
    }

  // Peak of simultaneously live bytes, and the most buffers live at once.
  int64_t peak = 0, live_max = 0;
  for (int s = 0; s < std::max<int>(static_cast<int>(g.ops.size()), 1); ++s) {
    int64_t bytes = 0, count = 0;
    for (int t = 0; t < n; ++t)
      if (!g.tensors[t].is_constant && root[t] == t && life[t].first <= s && s <= life[t].last) {
        bytes += aligned_bytes(g, t);
        ++count;
      }
    peak = std::max(peak, bytes);
    live_max = std::max(live_max, count);
  }
  EXPECT_EQ(plan.peak_live_bytes, peak);
  if (near_peak) {
    EXPECT_LE(plan.arena_size, plan.peak_live_bytes + 16 * live_max);
  }
}

// Network-shaped graphs: stages of residual blocks (x -> a -> b -> x + b)
// and inception-like blocks (branches joined by a concat), with tensor sizes
// constant within a stage as in real CNNs.
Graph structured_graph(std::mt19937& rng) {
  Graph g;
  g.name = "net";
  int64_t size = rand_elems(rng) * 4;
  int cur = add(g, size);
  g.inputs = {cur};
  const int stages = std::uniform_int_distribution<int>(1, 4)(rng);
  for (int st = 0; st < stages; ++st) {
    const int next = add(g, size / 2 + 1);  // downsampling op between stages
    add_op(g, {cur}, next);
    cur = next;
    size = size / 2 + 1;
    const int blocks = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int bl = 0; bl < blocks; ++bl) {
      if (std::uniform_int_distribution<int>(0, 1)(rng) == 0) {
        const int a = add(g, size);
        add_op(g, {cur, add(g, 9, true)}, a);
        const int b = add(g, size);
        add_op(g, {a, add(g, 9, true)}, b);
        const int sum = add(g, size);
        add_op(g, {cur, b}, sum);
        cur = sum;
      } else {
        std::vector<int> branches;
        for (int k = 0; k < 3; ++k) {
          const int br = add(g, size / 3 + 1);
          add_op(g, {cur}, br);
          branches.push_back(br);
        }
        const int cat = add(g, 3 * (size / 3 + 1));
        add_op(g, branches, cat);
        cur = cat;
        size = 3 * (size / 3 + 1);
      }
    }
  }
  const int flat = add(g, size);
  add_op(g, {cur}, flat, true);
  const int logits = add(g, 10);
  add_op(g, {flat, add(g, 10 * size, true)}, logits);
  g.outputs = {logits};
  return g;
}

TEST(ArenaPlan, ChainsNeverOverlapAndStayNearPeak) {
  std::mt19937 rng(1);
  for (int i = 0; i < 200; ++i) check_plan(random_graph(rng, 0), true);
}

TEST(ArenaPlan, ResidualAndConcatNetworksNeverOverlapAndStayNearPeak) {
  std::mt19937 rng(3);
  for (int i = 0; i < 300; ++i) check_plan(structured_graph(rng), true);
}

// Arbitrary skips with unrelated random sizes are the hard case of dynamic
// storage allocation, where no greedy order can promise the peak; here only
// correctness (no overlap, correct peak) is required.
TEST(ArenaPlan, IrregularGraphsNeverOverlap) {
  std::mt19937 rng(2);
  for (int i = 0; i < 300; ++i) check_plan(random_graph(rng, 1 + i % 2), false);
}

TEST(ArenaPlan, ReusesMemoryAlongAChain) {
  Graph g;
  int cur = add(g, 64);
  g.inputs = {cur};
  for (int i = 0; i < 10; ++i) {
    const int next = add(g, 64);
    add_op(g, {cur}, next);
    cur = next;
  }
  g.outputs = {cur};
  const auto plan = yono::plan_arena(g);
  EXPECT_EQ(plan.peak_live_bytes, 2 * 256);
  EXPECT_EQ(plan.arena_size, 2 * 256);  // ping-pong between two buffers
}

TEST(ArenaPlan, RejectsOutOfRangeTensorIndex) {
  Graph g;
  g.name = "bad";
  const int x = add(g, 4);
  g.inputs = {x};
  add_op(g, {x}, x);
  g.ops[0].outputs = {7};
  g.outputs = {x};
  EXPECT_THROW(yono::plan_arena(g), yono::Error);
}

// Encoded weights add one scratch region, sized for the hungriest kernel,
// on top of the unchanged activation plan.
TEST(ArenaPlan, ScratchForEncodedWeightsSitsOnTopOfActivations) {
  using yono::test::LayerKind;
  const auto cb = yono::test::random_codebook("cb", 16, 8, yono::ir::CodebookDType::kF32, 1);
  Graph g = yono::test::layer_model("conv", LayerKind::kConv2d, 2);  // w [6, 4, 3, 3]
  const auto float_plan = yono::plan_arena(g);
  EXPECT_EQ(float_plan.scratch_size, 0);

  yono::test::pq_encode(yono::test::weight_of(g), cb, 0, 3);
  const auto pq_plan = yono::plan_arena(g, {cb});
  yono::ConvParams p{};
  p.in_c = 4;
  p.groups = 1;
  p.kh = p.kw = 3;
  yono::PqWeights w{};
  w.dim = 8;
  w.subvectors_per_row = 5;  // ceil(36 / 8)
  const int64_t need = int64_t{yono::conv_pq_scratch_floats(p, w)} * 4;
  EXPECT_EQ(pq_plan.scratch_size, (need + 15) / 16 * 16);
  EXPECT_EQ(pq_plan.arena_size, float_plan.arena_size + pq_plan.scratch_size);
  EXPECT_EQ(pq_plan.offsets, float_plan.offsets);

  Graph i8 = yono::test::layer_model("conv", LayerKind::kConv2d, 2);
  yono::test::i8_encode(yono::test::weight_of(i8), 4);
  const int64_t i8_need = int64_t{yono::conv_i8w_scratch_floats(p)} * 4;
  EXPECT_EQ(yono::plan_arena(i8).scratch_size, (i8_need + 15) / 16 * 16);

  EXPECT_THROW(yono::plan_arena(g), yono::Error);  // codebook index 0 of none
}

}  // namespace
