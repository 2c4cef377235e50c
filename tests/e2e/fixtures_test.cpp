// Every PyTorch fixture goes through the whole host path (ONNX import, pack
// writer) and the device runtime, and must reproduce PyTorch's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "e2e_util.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_input_layouts.h"
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
// input Transpose folded, every section the device reads is byte-identical
// (the channels-last pack adds only the host tools' InputLayouts), so the
// device runs the same instructions (docs/BENCHMARKS.md measures both in QEMU). Kept as
// it is, the layout costs one gather and gives the same bits.
TEST(ChannelsLast, FoldedTransposeCostsNothing) {
  auto pack_of = [](const std::string& file, bool fold) {
    OnnxImportOptions o;
    o.fold_input_transposes = fold;
    return write_pack({import_onnx(fixture(file + ".onnx"), "cnn", o)});
  };
  // Every section the device reads, by type; host-only extensions (19+) aside.
  auto device_sections = [](const std::vector<uint8_t>& bytes) {
    PackHeader h;
    std::memcpy(&h, bytes.data(), sizeof(h));
    std::map<uint32_t, std::vector<uint8_t>> out;
    for (uint32_t i = 0; i < h.section_count; ++i) {
      SectionEntry e;
      std::memcpy(&e, bytes.data() + sizeof(h) + i * sizeof(e), sizeof(e));
      if (e.type < static_cast<uint32_t>(SectionType::kLabels))
        out[e.type].assign(bytes.begin() + e.offset, bytes.begin() + e.offset + e.size);
    }
    return out;
  };
  const std::vector<uint8_t> last = pack_of("channels_last_cnn", true);
  const std::vector<uint8_t> first = pack_of("channels_first_cnn", true);
  EXPECT_EQ(device_sections(last), device_sections(first));
  EXPECT_EQ(device_sections(last).size(), 7u);  // v1: the seven sections
  const AlignedPack with_layout(last), without(first);
  EXPECT_EQ(read_input_layouts(with_layout.pack).count("cnn"), 1u);
  EXPECT_TRUE(read_input_layouts(without.pack).empty());

  const std::vector<uint8_t> kept = pack_of("channels_last_cnn", false);
  const std::vector<float> nhwc = read_npy(fixture("channels_last_cnn.input.npy")).data;
  const std::vector<float> folded = run_in_session(last, "cnn", fixture_input("channels_last_cnn"));
  const std::vector<float> gathered = run_in_session(kept, "cnn", nhwc);
  ASSERT_EQ(folded.size(), gathered.size());
  EXPECT_EQ(std::memcmp(folded.data(), gathered.data(), 4 * folded.size()), 0);
}

}  // namespace
}  // namespace yono::e2e

namespace yono::e2e {
namespace {

// The pack records the folded layout, so the tools take the model's own
// channels-last array and say what they did.
TEST(ChannelsLast, RunTakesTheModelsOwnLayoutAndInspectShowsIt) {
  ScratchDir dir;
  const std::string pack = dir.path("cl.yono"), out = dir.path("y.npy");
  ASSERT_EQ(run_yono(dir, {"import", fixture("channels_last_cnn.onnx"), "-o", pack}).exit_code, 0);
  const YonoRun r = run_yono(
      dir, {"run", pack, "--input", fixture("channels_last_cnn.input.npy"), "--output", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("[1,16,16,3] rearranged to the pack's layout [1,3,16,16]"),
            std::string::npos)
      << r.err;
  EXPECT_LE(
      max_abs_error(read_npy(out).data, read_npy(fixture("channels_last_cnn.expected.npy")).data),
      kTolerance);
  const YonoRun i = run_yono(dir, {"inspect", pack});
  ASSERT_EQ(i.exit_code, 0) << i.err;
  EXPECT_NE(i.out.find("own layout [1,16,16,3]"), std::string::npos) << i.out;
}

}  // namespace
}  // namespace yono::e2e
