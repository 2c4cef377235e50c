// Smoke tests of load_task on the real data sets, skipped when they are not on
// the data search path. Named RealData* so they can be filtered out
// (--gtest_filter=-RealData*) on machines where reading them is slow.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "yono/compiler/data/data_path.h"
#include "yono/compiler/data/tasks.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

#define SKIP_WITHOUT(relative) \
  if (!locate_dataset_path(relative)) GTEST_SKIP() << relative << " not on the data path"

void expect_consistent(const Dataset& d, size_t classes) {
  EXPECT_EQ(d.class_names.size(), classes);
  ASSERT_EQ(d.samples.size(), d.size() * d.sample_numel());
  std::set<int32_t> seen(d.labels.begin(), d.labels.end());
  EXPECT_EQ(seen.size(), classes);
  EXPECT_GE(*seen.begin(), 0);
  EXPECT_LT(*seen.rbegin(), static_cast<int32_t>(classes));
  for (float v : d.samples) ASSERT_TRUE(std::isfinite(v));
}

TEST(RealData, FashionMnistOfficialCounts) {
  SKIP_WITHOUT("fashion-mnist");
  const Split s = load_task("fashion-mnist", 1);
  EXPECT_EQ(s.train.size() + s.validation.size(), 60000u);
  EXPECT_EQ(s.validation.size(), 5000u);
  EXPECT_EQ(s.test.size(), 10000u);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{1, 28, 28}));
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) expect_consistent(*d, 10);
}

TEST(RealData, Cifar10OfficialCounts) {
  if (kSanitized) GTEST_SKIP() << "decoding 60000 images under ASan is too slow for the suite";
  SKIP_WITHOUT("cifar10");
  const Split s = load_task("cifar10", 1);
  EXPECT_EQ(s.train.size() + s.validation.size(), 50000u);
  EXPECT_EQ(s.test.size(), 10000u);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{3, 32, 32}));
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) expect_consistent(*d, 10);
}

TEST(RealData, FsddOfficialSplit) {
  SKIP_WITHOUT("fsdd/recordings");
  const Split s = load_task("fsdd", 1);
  EXPECT_EQ(s.train.size() + s.validation.size(), 2700u);
  EXPECT_EQ(s.test.size(), 300u);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{1, 49, 40}));
  for (const std::string& source : s.test.sources) {
    const std::string index = source.substr(source.rfind('_') + 1);
    EXPECT_LT(std::stoi(index), 5) << source;
  }
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) expect_consistent(*d, 10);
}

std::set<std::string> recordings_of(const Dataset& d) {
  std::set<std::string> files;
  for (const std::string& source : d.sources) files.insert(source.substr(0, source.rfind('#')));
  return files;
}

TEST(RealData, HmpSplitsByRecordingAndRepeats) {
  SKIP_WITHOUT("hmp");
  const Split s = load_task("hmp", 1);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{4, 160}));
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) expect_consistent(*d, 10);
  const auto train = recordings_of(s.train), validation = recordings_of(s.validation),
             test = recordings_of(s.test);
  for (const std::string& r : test) {
    EXPECT_EQ(train.count(r) + validation.count(r), 0u) << r << " leaks into training";
  }
  for (const std::string& r : validation) EXPECT_EQ(train.count(r), 0u) << r;
  const size_t recordings = train.size() + validation.size() + test.size();
  EXPECT_NEAR(static_cast<double>(test.size()) / recordings, 0.2, 0.03);

  const Split again = load_task("hmp", 1);
  EXPECT_EQ(again.test.sources, s.test.sources);
  EXPECT_EQ(again.test.samples, s.test.samples);
}

TEST(RealData, UnknownTaskListsKnownOnes) {
  try {
    load_task("mnist-typo", 1);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("fashion-mnist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace yono::data
