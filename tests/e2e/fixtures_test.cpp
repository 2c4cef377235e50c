// Every PyTorch fixture goes through the whole host path (ONNX import, pack
// writer) and the device runtime, and must reproduce PyTorch's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "e2e_util.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace yono::e2e {
namespace {

class FixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, MatchesPyTorchOutput) {
  const std::string name = GetParam();
  const std::vector<float> x = fixture_input(name);
  const NpyArray want = read_npy(fixture(name + ".expected.npy"));
  std::vector<ir::Graph> graphs;
  graphs.push_back(import_onnx(fixture(name + ".onnx"), name));
  const std::vector<uint8_t> pack = write_pack(graphs);

  const std::vector<float> got = run_in_session(pack, name, x);
  ASSERT_EQ(got.size(), want.data.size()) << name;
  const float err = max_abs_error(got, want.data);
  std::printf("[  INFO    ] %s: max abs error %.3g over %zu outputs\n", name.c_str(),
              static_cast<double>(err), got.size());
  EXPECT_LE(err, kTolerance) << name;
}

INSTANTIATE_TEST_SUITE_P(AllFixtures, FixtureTest, ::testing::ValuesIn(fixture_names()),
                         [](const auto& info) { return info.param; });

// One pack holding every fixture: models must not disturb each other when
// the same arena and session switch between them back and forth.
TEST(MultiModelPack, EachModelRunsByNameInAnyOrder) {
  std::vector<ir::Graph> graphs;
  for (const std::string& name : fixture_names()) {
    graphs.push_back(import_onnx(fixture(name + ".onnx"), name));
  }
  const std::vector<uint8_t> pack = write_pack(graphs);

  std::vector<std::string> order = fixture_names();
  order.insert(order.end(), fixture_names().rbegin(), fixture_names().rend());
  order.push_back(fixture_names().front());
  for (const std::string& name : order) {
    const std::vector<float> x = fixture_input(name);
    const NpyArray want = read_npy(fixture(name + ".expected.npy"));
    const std::vector<float> got = run_in_session(pack, name, x);
    EXPECT_LE(max_abs_error(got, want.data), kTolerance) << name;
  }
}

// Runs every model through a single Session, switching with select() only,
// which is how a device uses one arena for many models.
TEST(MultiModelPack, OneSessionSwitchesModels) {
  std::vector<ir::Graph> graphs;
  for (const std::string& name : fixture_names()) {
    graphs.push_back(import_onnx(fixture(name + ".onnx"), name));
  }
  const AlignedPack aligned(write_pack(graphs));
  ASSERT_EQ(aligned.status, Status::kOk);
  const Pack& pack = aligned.pack;
  ASSERT_EQ(pack.model_count(), fixture_names().size());
  uint32_t largest = 0;
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    largest = std::max(largest, pack.arena_size(m));
  }
  AlignedBuffer arena(largest);
  Session session(pack, arena.data(), arena.size());

  for (int round = 0; round < 2; ++round) {
    for (size_t k = 0; k < fixture_names().size(); ++k) {
      // Alternate ends of the list so every switch crosses models.
      const size_t i = (k % 2 == 0) ? k / 2 : fixture_names().size() - 1 - k / 2;
      const std::string& name = fixture_names()[i];
      uint32_t model = 0;
      ASSERT_EQ(pack.find_model(name.c_str(), &model), Status::kOk) << name;
      ASSERT_EQ(session.select(model), Status::kOk) << name;
      const std::vector<float> x = fixture_input(name);
      const NpyArray want = read_npy(fixture(name + ".expected.npy"));
      TensorView in = session.input(0);
      ASSERT_EQ(in.element_count, x.size()) << name;
      std::copy(x.begin(), x.end(), in.data);
      ASSERT_EQ(session.invoke(), Status::kOk) << name;
      TensorView out = session.output(0);
      ASSERT_NE(out.data, nullptr);
      const std::vector<float> got(out.data, out.data + out.element_count);
      EXPECT_LE(max_abs_error(got, want.data), kTolerance) << name << " round " << round;
    }
  }
}

}  // namespace
}  // namespace yono::e2e

namespace yono::e2e {
namespace {

// Bytes live at the worst op step, computed here from the graph alone: a
// tensor lives from the op that writes it to the last op that reads it
// (inputs from the start, outputs to the end); a Reshape output shares its
// input's buffer. Each buffer is rounded up to the 16-byte arena alignment.
int64_t independent_live_peak(const ir::Graph& g) {
  const int n = static_cast<int>(g.tensors.size());
  std::vector<int> buffer(n);
  for (int t = 0; t < n; ++t) buffer[t] = t;
  for (const ir::Op& op : g.ops) {
    if (std::holds_alternative<ir::ReshapeAttrs>(op.attrs))
      buffer[op.outputs[0]] = buffer[op.inputs[0]];
  }
  const int steps = static_cast<int>(g.ops.size());
  std::vector<int> first(n, steps), last(n, -1);
  auto touch = [&](int t, int step) {
    const int b = buffer[t];
    first[b] = std::min(first[b], step);
    last[b] = std::max(last[b], step);
  };
  for (int t : g.inputs) touch(t, 0);
  for (int t : g.outputs) touch(t, steps - 1);
  for (int s = 0; s < steps; ++s) {
    for (int t : g.ops[s].inputs)
      if (!g.tensors[t].is_constant) touch(t, s);
    for (int t : g.ops[s].outputs) touch(t, s);
  }
  int64_t peak = 0;
  for (int s = 0; s < steps; ++s) {
    int64_t live = 0;
    for (int b = 0; b < n; ++b) {
      if (buffer[b] != b || first[b] > s || last[b] < s) continue;
      live += (ir::element_count(g.tensors[b].dims) * 4 + 15) / 16 * 16;
    }
    peak = std::max(peak, live);
  }
  return peak;
}

// The bound: the planned arena (what `yono inspect` reports) is no
// larger than the peak of simultaneously live tensors plus alignment.
TEST_P(FixtureTest, ArenaIsNoLargerThanLivePeak) {
  const std::string name = GetParam();
  std::vector<ir::Graph> graphs;
  graphs.push_back(import_onnx(fixture(name + ".onnx"), name));
  const int64_t peak = independent_live_peak(graphs[0]);
  const AlignedPack aligned(write_pack(graphs));
  ASSERT_EQ(aligned.status, Status::kOk);
  const Pack& pack = aligned.pack;
  std::printf("[  INFO    ] %s: arena %u bytes, live peak %lld bytes\n", name.c_str(),
              pack.arena_size(0), static_cast<long long>(peak));
  EXPECT_GT(pack.arena_size(0), 0u);
  EXPECT_LE(static_cast<int64_t>(pack.arena_size(0)), peak) << name;
}

}  // namespace
}  // namespace yono::e2e

namespace yono::e2e {
namespace {

// A channels-last model and its channels-first twin (same weights): with the
// input Transpose folded, their packs are byte-identical, so the device runs
// the same instructions (docs/BENCHMARKS.md measures both in QEMU). Kept as
// it is, the layout costs one gather and gives the same bits.
TEST(ChannelsLast, FoldedTransposeCostsNothing) {
  auto pack_of = [](const std::string& file, bool fold) {
    OnnxImportOptions o;
    o.fold_input_transposes = fold;
    return write_pack({import_onnx(fixture(file + ".onnx"), "cnn", o)});
  };
  const std::vector<uint8_t> last = pack_of("channels_last_cnn", true);
  EXPECT_EQ(last, pack_of("channels_first_cnn", true));

  const std::vector<uint8_t> kept = pack_of("channels_last_cnn", false);
  const std::vector<float> nhwc = read_npy(fixture("channels_last_cnn.input.npy")).data;
  const std::vector<float> folded = run_in_session(last, "cnn", fixture_input("channels_last_cnn"));
  const std::vector<float> gathered = run_in_session(kept, "cnn", nhwc);
  ASSERT_EQ(folded.size(), gathered.size());
  EXPECT_EQ(std::memcmp(folded.data(), gathered.data(), 4 * folded.size()), 0);
}

}  // namespace
}  // namespace yono::e2e
