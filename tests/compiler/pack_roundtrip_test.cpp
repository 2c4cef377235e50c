// Hand-built graphs -> write_pack -> Pack::open -> Session, compared with a
// naive double-precision interpretation of the same graphs.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace {

using yono::Status;

// Feeds seeded inputs, runs model `index`, checks every output against the
// reference, and returns the outputs.
std::vector<std::vector<float>> run_and_check(const yono::Pack& pack, yono::Session& s,
                                              uint32_t index, const yono::ir::Graph& g) {
  EXPECT_EQ(s.select(index), Status::kOk);
  std::vector<std::vector<float>> inputs;
  for (uint32_t i = 0; i < g.inputs.size(); ++i) {
    const auto n = yono::ir::element_count(g.tensors[g.inputs[i]].dims);
    inputs.push_back(yono::test::seeded_values(n, 1000 + i));
    yono::TensorView v = s.input(i);
    EXPECT_EQ(v.element_count, static_cast<uint32_t>(n));
    std::copy(inputs.back().begin(), inputs.back().end(), v.data);
  }
  EXPECT_EQ(s.invoke(), Status::kOk);
  const auto expected = yono::test::reference_run(g, inputs);
  std::vector<std::vector<float>> outputs;
  EXPECT_EQ(pack.output_count(index), g.outputs.size());
  for (uint32_t o = 0; o < g.outputs.size(); ++o) {
    const auto& want = expected[g.outputs[o]];
    yono::TensorView v = s.output(o);
    EXPECT_EQ(v.element_count, want.size());
    outputs.emplace_back(v.data, v.data + v.element_count);
    for (size_t i = 0; i < want.size() && i < v.element_count; ++i)
      EXPECT_NEAR(v.data[i], want[i], 1e-5)
          << "model " << g.name << " output " << o << " [" << i << "]";
  }
  return outputs;
}

TEST(PackRoundTrip, TwoModelsMatchReferenceAndSwitch) {
  const std::vector<yono::ir::Graph> graphs = {yono::test::image_model("image"),
                                               yono::test::signal_model("signal")};
  const auto bytes = yono::write_pack(graphs);
  yono::AlignedBuffer buf(bytes.size());
  std::copy(bytes.begin(), bytes.end(), buf.data());
  yono::Pack pack;
  ASSERT_EQ(yono::Pack::open(buf.data(), bytes.size(), &pack), Status::kOk);
  ASSERT_EQ(pack.model_count(), 2u);

  uint32_t image = 99, signal = 99;
  ASSERT_EQ(pack.find_model("image", &image), Status::kOk);
  ASSERT_EQ(pack.find_model("signal", &signal), Status::kOk);
  EXPECT_EQ(image, 0u);
  EXPECT_EQ(signal, 1u);
  EXPECT_STREQ(pack.model_name(signal), "signal");

  yono::TensorInfo info;
  ASSERT_EQ(pack.input_info(image, 0, &info), Status::kOk);
  EXPECT_STREQ(info.name, "x");
  ASSERT_EQ(info.rank, 4u);
  EXPECT_EQ(info.dims[1], 2u);
  EXPECT_EQ(info.element_count, 72u);
  ASSERT_EQ(pack.output_info(signal, 1, &info), Status::kOk);
  EXPECT_STREQ(info.name, "r");
  EXPECT_EQ(pack.output_info(signal, 2, &info), Status::kInvalidArgument);

  const size_t arena_size = std::max(pack.arena_size(0), pack.arena_size(1));
  yono::AlignedBuffer arena(arena_size);
  yono::Session s(pack, arena.data(), arena_size);
  EXPECT_EQ(s.invoke(), Status::kNoModelSelected);
  EXPECT_EQ(s.input(0).data, nullptr);
  const auto first = run_and_check(pack, s, image, graphs[0]);
  run_and_check(pack, s, signal, graphs[1]);
  EXPECT_EQ(s.selected(), signal);
  // Switching back must give the same results: nothing of model 0 was kept.
  EXPECT_EQ(run_and_check(pack, s, image, graphs[0]), first);
  EXPECT_EQ(s.select(2), Status::kInvalidArgument);
}

TEST(PackRoundTrip, OutputIsDeterministic) {
  const std::vector<yono::ir::Graph> graphs = {yono::test::signal_model("a"),
                                               yono::test::image_model("b")};
  EXPECT_EQ(yono::write_pack(graphs), yono::write_pack(graphs));
}

TEST(PackRoundTrip, SessionAndOpenErrors) {
  const auto bytes = yono::write_pack({yono::test::image_model("m")});
  yono::AlignedBuffer buf(bytes.size() + 16);
  std::copy(bytes.begin(), bytes.end(), buf.data() + 1);
  yono::Pack pack;
  EXPECT_EQ(yono::Pack::open(buf.data() + 1, bytes.size(), &pack), Status::kBadAlignment);
  EXPECT_EQ(yono::Pack::open(nullptr, bytes.size(), &pack), Status::kInvalidArgument);
  std::copy(bytes.begin(), bytes.end(), buf.data());
  ASSERT_EQ(yono::Pack::open(buf.data(), bytes.size(), &pack), Status::kOk);

  uint32_t index = 0;
  EXPECT_EQ(pack.find_model("nope", &index), Status::kNotFound);
  const uint32_t need = pack.arena_size(0);
  ASSERT_GT(need, 16u);
  yono::AlignedBuffer arena(need + 16);
  yono::Session small(pack, arena.data(), need - 1);
  EXPECT_EQ(small.select(0), Status::kArenaTooSmall);
  yono::Session misaligned(pack, arena.data() + 4, need);
  EXPECT_EQ(misaligned.select(0), Status::kBadAlignment);
  yono::Session exact(pack, arena.data(), need);
  EXPECT_EQ(exact.select(0), Status::kOk);
}

TEST(PackWriter, RejectsDuplicateNamesAndBadGraphs) {
  EXPECT_THROW(yono::write_pack({yono::test::image_model("m"), yono::test::signal_model("m")}),
               yono::Error);
  EXPECT_THROW(yono::write_pack({}), yono::Error);
  auto g = yono::test::image_model("m");
  g.tensors[1].dims = {4, 2, 3};  // conv weights of the wrong rank
  EXPECT_THROW(yono::write_pack({g}), yono::Error);
  g = yono::test::image_model("m");
  g.tensors[g.ops[0].outputs[0]].dims = {1, 4, 7, 6};  // conv output height off by one
  EXPECT_THROW(yono::write_pack({g}), yono::Error);
  g = yono::test::image_model("m");
  g.tensors[g.ops[0].inputs[2]].data.pop_back();  // bias payload shorter than its dims
  EXPECT_THROW(yono::write_pack({g}), yono::Error);
}

TEST(PackWriter, StoresInnerTensorNamesOnlyWhenAsked) {
  const yono::ir::Graph g = yono::test::image_model("m");
  const auto names_in = [](const std::vector<uint8_t>& bytes) {
    yono::AlignedBuffer buf(bytes.size());
    std::copy(bytes.begin(), bytes.end(), buf.data());
    yono::Pack pack;
    EXPECT_EQ(yono::Pack::open(buf.data(), bytes.size(), &pack), Status::kOk);
    std::vector<std::string> names;
    const yono::ModelRecord& m = pack.models()[0];
    for (uint32_t t = 0; t < m.tensor_count; ++t)
      names.emplace_back(
          pack.segment(0).string_at(pack.segment(0).tensors[m.first_tensor + t].name));
    return names;
  };
  const auto lean = yono::write_pack({g});
  const auto named = yono::write_pack({g}, {}, {true});
  EXPECT_LT(lean.size(), named.size());
  const std::vector<std::string> kept = names_in(named), dropped = names_in(lean);
  ASSERT_EQ(kept.size(), dropped.size());
  std::set<std::string> interface;
  for (int t : g.inputs) interface.insert(g.tensors[t].name);
  for (int t : g.outputs) interface.insert(g.tensors[t].name);
  size_t empty = 0;
  for (size_t t = 0; t < kept.size(); ++t) {
    EXPECT_FALSE(kept[t].empty());
    if (interface.count(kept[t])) {
      EXPECT_EQ(dropped[t], kept[t]);  // the interface keeps its names
    } else {
      EXPECT_EQ(dropped[t], "");
      ++empty;
    }
  }
  EXPECT_GT(empty, 0u);
}

}  // namespace
