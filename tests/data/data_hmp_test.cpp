#include <gtest/gtest.h>

#include <set>

#include "data_test_support.h"
#include "yono/compiler/data/group_split.h"
#include "yono/compiler/data/hmp_reader.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

// n lines; sample t has codes (t % 64, 63 - t % 64, 0).
std::string recording_text(int n) {
  std::string text;
  for (int t = 0; t < n; ++t) {
    text += std::to_string(t % 64) + " " + std::to_string(63 - t % 64) + " 0\n";
  }
  return text;
}

TEST(HmpReader, CodesMapToPlusMinusOneAndAHalfG) {
  EXPECT_FLOAT_EQ(hmp_code_to_g(0), -1.5f);
  EXPECT_FLOAT_EQ(hmp_code_to_g(63), 1.5f);
  EXPECT_NEAR(hmp_code_to_g(21), -0.5f, 1e-6f);
}

TEST(HmpReader, ReadsActivitiesSkipsModelFoldersAndNamesVolunteers) {
  TempDir dir;
  test::write_text(dir.file("Walk/Accelerometer-2011-03-24-09-51-07-walk-f1.txt"),
                   recording_text(10));
  test::write_text(dir.file("Walk/Accelerometer-2011-03-24-10-00-00-walk-m2.txt"),
                   recording_text(5));
  test::write_text(dir.file("Drink_glass/Accelerometer-2011-03-24-11-00-00-drink_glass-f3.txt"),
                   recording_text(7) + "\n");
  test::write_text(dir.file("Walk_MODEL/model.txt"), "1 2 3\n");
  const HmpCorpus all = read_hmp(dir.path());
  EXPECT_EQ(all.class_names, (std::vector<std::string>{"Drink_glass", "Walk"}));
  ASSERT_EQ(all.recordings.size(), 3u);
  EXPECT_EQ(all.recordings[0].volunteer, "f3");
  EXPECT_EQ(all.recordings[2].volunteer, "m2");
  EXPECT_EQ(all.recordings[2].label, 1);
  ASSERT_EQ(all.recordings[0].samples_g.size(), 21u);
  EXPECT_FLOAT_EQ(all.recordings[0].samples_g[3 * 2 + 1], hmp_code_to_g(61));

  // An explicit class list fixes the order (and so the labels).
  const HmpCorpus chosen = read_hmp(dir.path(), {"Walk"});
  EXPECT_EQ(chosen.recordings.size(), 2u);
  EXPECT_EQ(chosen.recordings[0].label, 0);
}

TEST(HmpReader, WindowsAreChannelFirstWithHop) {
  TempDir dir;
  test::write_text(dir.file("Walk/Accelerometer-x-walk-f1.txt"), recording_text(10));
  const HmpCorpus corpus = read_hmp(dir.path());
  frontend::SensorFrontendConfig config;
  config.window = 4;
  config.hop = 2;
  config.normalise = false;
  const Dataset d = hmp_windows(corpus, {0}, config);
  ASSERT_EQ(d.size(), 4u);  // starts 0, 2, 4, 6
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{3, 4}));
  // Window 1 starts at sample 2: axis 0 holds codes 2..5, axis 1 holds 61..58.
  for (int t = 0; t < 4; ++t) {
    EXPECT_FLOAT_EQ(d.sample(1)[t], hmp_code_to_g(2 + t));
    EXPECT_FLOAT_EQ(d.sample(1)[4 + t], hmp_code_to_g(61 - t));
    EXPECT_FLOAT_EQ(d.sample(1)[8 + t], -1.5f);
  }
  EXPECT_NE(d.sources[3].find("#3"), std::string::npos);
}

TEST(HmpReader, MagnitudeChannelAndShortRecordingsKeepOneWindow) {
  TempDir dir;
  test::write_text(dir.file("Walk/Accelerometer-x-walk-f1.txt"), recording_text(10));
  test::write_text(dir.file("Walk/Accelerometer-y-walk-f2.txt"), recording_text(3));
  const HmpCorpus corpus = read_hmp(dir.path());
  frontend::SensorFrontendConfig config;
  config.window = 8;
  config.hop = 4;
  config.magnitude = true;
  const Dataset d = hmp_windows(corpus, {0, 1}, config);
  EXPECT_EQ(d.sample_dims, (std::vector<int64_t>{4, 8}));
  ASSERT_EQ(d.size(), 2u);  // one whole window of the 10 samples, one padded of the 3
  EXPECT_NE(d.sources[1].find("f2.txt#0"), std::string::npos);
}

TEST(HmpReader, GarbageLineNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.file("Walk/Accelerometer-x-walk-f1.txt");
  test::write_text(path, "1 2 3\n4 five 6\n");
  expect_error_naming(
      path + ":2", [&] { read_hmp_file(path); }, "non-numeric");
}

TEST(HmpReader, WrongValueCountAndRangeAreRejected) {
  TempDir dir;
  const std::string two = dir.file("two.txt"), four = dir.file("four.txt"),
                    big = dir.file("big.txt");
  test::write_text(two, "1 2 3\n1 2\n");
  test::write_text(four, "1 2 3 4\n");
  test::write_text(big, "1 64 3\n");
  expect_error_naming(
      two + ":2", [&] { read_hmp_file(two); }, "expected 3 values");
  expect_error_naming(
      four + ":1", [&] { read_hmp_file(four); }, "expected 3 values");
  expect_error_naming(
      big + ":1", [&] { read_hmp_file(big); }, "outside 0..63");
}

TEST(HmpReader, EmptyActivityFolderNamed) {
  TempDir dir;
  test::write_text(dir.file("Walk/a-walk-f1.txt"), recording_text(3));
  test::write_text(dir.file("Comb_hair/readme.md"), "nothing");
  expect_error_naming(
      "Comb_hair", [&] { read_hmp(dir.path()); }, "empty activity folder");
}

TEST(GroupSplit, NoGroupInTwoPartsEveryClassEverywhereAndSeeded) {
  std::vector<int32_t> labels;
  for (int c = 0; c < 3; ++c) labels.insert(labels.end(), 10 + 5 * c, c);
  const GroupSplit a = split_groups_stratified(labels, 3, 0.2, 0.1, 7);
  std::set<size_t> seen;
  for (const auto* part : {&a.train, &a.validation, &a.test}) {
    std::set<int32_t> classes;
    for (size_t g : *part) {
      EXPECT_TRUE(seen.insert(g).second) << "group " << g << " in two parts";
      classes.insert(labels[g]);
    }
    EXPECT_EQ(classes.size(), 3u);
  }
  EXPECT_EQ(seen.size(), labels.size());
  EXPECT_EQ(a.test.size(), 2u + 3u + 4u);  // round(0.2 * 10, 15, 20)

  const GroupSplit again = split_groups_stratified(labels, 3, 0.2, 0.1, 7);
  EXPECT_EQ(again.test, a.test);
  EXPECT_EQ(again.validation, a.validation);
  const GroupSplit other = split_groups_stratified(labels, 3, 0.2, 0.1, 8);
  EXPECT_NE(other.test, a.test);
}

TEST(GroupSplit, TooFewGroupsIsAnError) {
  EXPECT_THROW(split_groups_stratified({0, 0, 1}, 2, 0.2, 0.1, 1), Error);
}

}  // namespace
}  // namespace yono::data
