#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>

#include "data_test_support.h"
#include "yono/compiler/data/data_path.h"
#include "yono/compiler/data/dataset.h"

namespace yono::data {
namespace {

Dataset numbered(size_t n) {
  Dataset d;
  d.sample_dims = {2};
  d.class_names = {"even", "odd"};
  for (size_t i = 0; i < n; ++i) {
    d.samples.insert(d.samples.end(), {static_cast<float>(i), -static_cast<float>(i)});
    d.labels.push_back(static_cast<int32_t>(i % 2));
    d.sources.push_back("s" + std::to_string(i));
  }
  return d;
}

TEST(Dataset, SeededPermutationIsAPermutationAndRepeatable) {
  const auto a = seeded_permutation(100, 42);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_EQ(seeded_permutation(100, 42), a);
  EXPECT_NE(seeded_permutation(100, 43), a);
}

TEST(Dataset, CarveValidationMovesSamplesIntact) {
  Dataset train = numbered(50);
  const Dataset validation = carve_validation(train, 10, 1);
  ASSERT_EQ(validation.size(), 10u);
  ASSERT_EQ(train.size(), 40u);
  std::vector<bool> seen(50, false);
  for (const Dataset* d : {static_cast<const Dataset*>(&train), &validation}) {
    for (size_t i = 0; i < d->size(); ++i) {
      const auto original = static_cast<size_t>(d->sample(i)[0]);
      EXPECT_FLOAT_EQ(d->sample(i)[1], -static_cast<float>(original));  // rows not mixed up
      EXPECT_EQ(d->labels[i], static_cast<int32_t>(original % 2));
      EXPECT_EQ(d->sources[i], "s" + std::to_string(original));
      EXPECT_FALSE(seen[original]);
      seen[original] = true;
    }
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 50);
  EXPECT_EQ(validation.class_names, train.class_names);
}

TEST(DataPath, YonoDataComesFirstAndMissingListsEveryPath) {
  test::TempDir dir;
  test::write_text(dir.file("toy/marker"), "x");
  const char* old = getenv("YONO_DATA");
  const std::string saved = old != nullptr ? old : "";
  setenv("YONO_DATA", dir.path().c_str(), 1);
  EXPECT_EQ(find_dataset_dir("toy"), dir.path() + "/toy");
  try {
    find_dataset_dir("no-such-dataset-xyz");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const std::string& root : data_search_roots()) {
      EXPECT_NE(message.find(root + "/no-such-dataset-xyz"), std::string::npos) << message;
    }
    EXPECT_NE(message.find(dir.path()), std::string::npos);
  }
  if (old != nullptr) {
    setenv("YONO_DATA", saved.c_str(), 1);
  } else {
    unsetenv("YONO_DATA");
  }
  const auto roots = data_search_roots();
  EXPECT_EQ(roots[roots.size() - 3], "./data");
  EXPECT_EQ(roots.back(), "/usr/share/datasets");
}

}  // namespace
}  // namespace yono::data
