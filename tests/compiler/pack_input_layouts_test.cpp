// The InputLayouts section: written for a graph whose input Transpose was
// folded, read back by the tools, kept when a pack grows, refused when bad.
#include "yono/compiler/pack/pack_input_layouts.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "pack_bytes.h"
#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/compiler/pack/pack_growth.h"
#include "yono/compiler/pack/pack_writer.h"

namespace yono {
namespace {

ir::Graph folded(ir::Graph g) {
  g.input_layouts.push_back({g.tensors[static_cast<size_t>(g.inputs[0])].name, {0, 3, 1, 2}});
  return g;
}

PackInputLayouts layouts_in(const std::vector<uint8_t>& bytes) {
  const test::OpenedPack opened(bytes);
  EXPECT_EQ(opened.status, Status::kOk);
  return read_input_layouts(opened.pack);
}

TEST(PackInputLayouts, WrittenOnlyWhenAnInputWasFoldedAndReadBack) {
  EXPECT_TRUE(layouts_in(write_pack({test::image_model("a")})).empty());
  const PackInputLayouts got =
      layouts_in(write_pack({test::signal_model("s"), folded(test::image_model("f"))}));
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got.at("f").size(), 1u);
  EXPECT_EQ(got.at("f")[0].perm, std::vector<int64_t>({0, 3, 1, 2}));
}

TEST(PackInputLayouts, AGrownPackKeepsOldAndNewLayouts) {
  const auto cb = test::random_codebook("shared/pointwise", 16, 4, ir::CodebookDType::kF16, 3);
  auto a = test::layer_model("a", test::LayerKind::kDense, 1);
  test::pq_encode(test::weight_of(a), cb, 0, 4);
  const test::OpenedPack base(write_pack({folded(a)}, {cb}));
  ASSERT_EQ(base.status, Status::kOk);
  auto n = test::layer_model("n", test::LayerKind::kDense, 5);
  test::pq_encode(test::weight_of(n), cb, 0, 6);
  const PackInputLayouts got =
      layouts_in(grow_pack(base.pack, {folded(n)}, read_codebooks(base.pack)));
  EXPECT_EQ(got.count("a"), 1u);
  EXPECT_EQ(got.count("n"), 1u);
}

TEST(PackInputLayouts, OwnLayoutArraysAreRearrangedToThePacks) {
  // Model layout [1,2,3,2] (N,H,W,C) -> pack [1,2,2,3] (N,C,H,W).
  const std::vector<int64_t> pack_dims = {1, 2, 2, 3}, perm = {0, 3, 1, 2};
  EXPECT_EQ(original_dims(pack_dims, perm), std::vector<int64_t>({1, 2, 3, 2}));
  std::vector<float> nhwc(12);
  for (size_t i = 0; i < nhwc.size(); ++i) nhwc[i] = static_cast<float>(i);
  const std::vector<float> nchw = to_pack_layout(nhwc, pack_dims, perm);
  // nchw[c][h][w] = nhwc[h][w][c] = (h * 3 + w) * 2 + c
  for (int c = 0; c < 2; ++c)
    for (int h = 0; h < 2; ++h)
      for (int w = 0; w < 3; ++w)
        EXPECT_EQ(nchw[static_cast<size_t>((c * 2 + h) * 3 + w)],
                  static_cast<float>((h * 3 + w) * 2 + c));
  EXPECT_THROW(to_pack_layout(nhwc, {1, 12}, perm), Error);
}

TEST(PackInputLayouts, BadPermutationsAndUnknownModelsAreRefused) {
  for (const char* bad : {"0,3,1", "0,3,1,1", "0,x,1,2", "", "0,,1"}) {
    std::vector<uint8_t> bytes = write_pack({folded(test::image_model("m"))});
    // Rewrite the perm text in place (same length or shorter, NUL-padded).
    const std::string good = "0,3,1,2";
    auto at = std::search(bytes.begin(), bytes.end(), good.begin(), good.end());
    ASSERT_NE(at, bytes.end());
    const std::string text(bad);
    std::fill(at, at + static_cast<long>(good.size()), ',');
    std::copy(text.begin(), text.end(), at);
    if (text.size() < good.size())
      std::fill(at + static_cast<long>(text.size()), at + static_cast<long>(good.size()), '9');
    test::PackBytes p(bytes);
    p.fix_crcs();
    const test::OpenedPack opened(p.bytes());
    ASSERT_EQ(opened.status, Status::kOk) << bad;
    EXPECT_THROW(read_input_layouts(opened.pack), Error) << bad;
  }
}

}  // namespace
}  // namespace yono
