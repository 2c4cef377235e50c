// load_split on a user's data folder, layout by layout: what the samples look
// like, where test comes from, and the malformed folders each refused with a
// message naming the file or folder at fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "data_test_support.h"
#include "user_data_fixtures.h"
#include "yono/compiler/data/data_spec.h"

namespace yono::data {
namespace {

namespace fs = std::filesystem;
using test::expect_error_naming;
using test::TempDir;

DataSpec folder(const std::string& dir, UserDataOptions options = {}) {
  DataSpec spec;
  spec.dir = dir;
  spec.options = options;
  return spec;
}

std::map<int32_t, size_t> per_class(const Dataset& d) {
  std::map<int32_t, size_t> counts;
  for (int32_t label : d.labels) ++counts[label];
  return counts;
}

TEST(UserData, IdxClassNamesFromLabelsOrClassesTxt) {
  TempDir dir;
  test::make_idx_folder(dir.path(), 4, 40, 12, 9, 1);
  DataDescription described;
  Split s = load_split(folder(dir.path()), 1, &described);
  EXPECT_EQ(s.train.class_names, (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{1, 9, 9}));
  EXPECT_EQ(s.test.size(), 12u);  // the t10k files, untouched
  EXPECT_EQ(s.train.size() + s.validation.size(), 40u);
  EXPECT_EQ(per_class(s.validation).size(), 4u);  // stratified: every class
  EXPECT_EQ(described.layout, "IDX");
  EXPECT_EQ(described.test_origin, "t10k files");

  test::write_text(dir.file("classes.txt"), "zero\none\ntwo\nthree\nfour\n");
  UserDataOptions o;
  o.resize_height = 6;
  o.resize_width = 5;
  o.channels = 3;
  DataSpec spec = folder(dir.path(), o);
  // A fifth class without samples cannot be trained: named with its labels file.
  expect_error_naming(
      dir.file("train-labels-idx1-ubyte.gz"), [&] { load_split(spec, 1); }, "class 'four'");
  test::write_text(dir.file("classes.txt"), "zero\none\ntwo\nthree\n");
  s = load_split(spec, 1);
  EXPECT_EQ(s.train.class_names[3], "three");
  EXPECT_EQ(s.test.sample_dims, (std::vector<int64_t>{3, 6, 5}));
  // Grey replicated into the three channels.
  EXPECT_EQ(s.test.sample(0)[0], s.test.sample(0)[30]);
  EXPECT_EQ(s.test.sample(0)[7], s.test.sample(0)[67]);
}

TEST(UserData, IdxLabelBeyondClassesTxtNamesLabelsFileAndItem) {
  TempDir dir;
  test::make_idx_folder(dir.path(), 3, 12, 0, 8, 1);
  test::write_text(dir.file("classes.txt"), "a\nb\n");
  expect_error_naming(
      dir.file("train-labels-idx1-ubyte.gz"), [&] { load_split(folder(dir.path()), 1); },
      "label 2 at item 2 is not below the class count 2");
}

TEST(UserData, ImagesGreyOrColourFromTheFiles) {
  TempDir grey, colour;
  test::make_image_folder(grey.path(), "train", {"a", "b"}, 5, 10, 12, 1, 1);
  const Split g = load_split(folder(grey.path()), 1);
  EXPECT_EQ(g.train.sample_dims, (std::vector<int64_t>{1, 10, 12}));
  // One colour image makes the whole set RGB; --channels 1 forces grey.
  test::make_image_folder(colour.path(), "train", {"a", "b"}, 5, 10, 12, 1, 1);
  test::make_image_folder(colour.path(), "test", {"b"}, 1, 10, 12, 3, 2);
  DataDescription described;
  const Split c = load_split(folder(colour.path()), 1, &described);
  EXPECT_EQ(c.train.sample_dims, (std::vector<int64_t>{3, 10, 12}));
  EXPECT_EQ(described.test_origin, "test/");
  EXPECT_EQ(c.test.labels, (std::vector<int32_t>{1}));
  UserDataOptions o;
  o.channels = 1;
  EXPECT_EQ(load_split(folder(colour.path(), o), 1).test.sample_dims,
            (std::vector<int64_t>{1, 10, 12}));
}

TEST(UserData, MixedImageSizesNeedResize) {
  TempDir dir;
  test::make_image_folder(dir.path(), "train", {"a", "b"}, 5, 8, 8, 1, 1);
  const std::string odd = dir.file("train/b/odd.png");
  test::write_png_image(odd, 16, 12, 1, std::vector<uint8_t>(16 * 12, 200));
  expect_error_naming(
      odd, [&] { load_split(folder(dir.path()), 1); },
      "image is 16x12, but " + dir.file("train/a/0.png") + " is 8x8; give --resize HxW");
  UserDataOptions o;
  o.resize_height = 8;
  o.resize_width = 8;
  const Split s = load_split(folder(dir.path(), o), 1);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{1, 8, 8}));
  // The odd image was flat: scaled, it stays flat.
  int found = 0;
  for (const Dataset* part : {&s.train, &s.validation, &s.test}) {
    for (size_t i = 0; i < part->size(); ++i) {
      if (part->sources[i] != odd) continue;
      ++found;
      for (size_t p = 0; p < 64; ++p) EXPECT_NEAR(part->sample(i)[p], 200 / 255.f, 1e-5f);
    }
  }
  EXPECT_EQ(found, 1);
}

TEST(UserData, AudioThroughTheFrontEnd) {
  TempDir dir;
  test::make_audio_folder(dir.path(), "train", {"hi", "lo"}, 4, 8000, 4000, 1);
  test::make_audio_folder(dir.path(), "test", {"hi", "lo"}, 1, 8000, 4000, 2);
  UserDataOptions o;
  o.clip_seconds = 0.5;
  DataDescription described;
  Split s = load_split(folder(dir.path(), o), 1, &described);
  // 4000 samples: 1 + (4000 - 256) / 160 = 24 frames of 40 mel bands.
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{1, 24, 40}));
  EXPECT_EQ(described.modality, Modality::kAudio);
  EXPECT_EQ(s.test.size(), 2u);
  o.features = "mfcc";
  s = load_split(folder(dir.path(), o), 1);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{1, 24, 13}));

  // A clip at another rate is named by the WAV reader.
  const std::string fast = dir.file("train/lo/fast.wav");
  test::write_wav_clip(fast, 16000, std::vector<short>(1600, 5));
  expect_error_naming(
      fast, [&] { load_split(folder(dir.path(), o), 1); },
      "sample rate 16000 Hz, expected 8000 Hz");
}

TEST(UserData, SensorWindowsNeverSplitARecording) {
  TempDir dir;
  test::make_sensor_folder(dir.path(), "", {"idle", "shake", "wave"}, 10, 100, 3, 1);
  UserDataOptions o;
  o.window = 32;
  o.hop = 16;
  DataDescription described;
  const Split s = load_split(folder(dir.path(), o), 1, &described);
  EXPECT_EQ(s.train.sample_dims, (std::vector<int64_t>{3, 32}));
  // 100 rows: 1 + (100 - 32) / 16 = 5 windows per recording, 30 recordings.
  EXPECT_EQ(s.train.size() + s.validation.size() + s.test.size(), 150u);
  EXPECT_EQ(s.test.size(), 3u * 2u * 5u);  // round(0.2 * 10) recordings per class
  std::map<std::string, int> part_of;
  int part = 0;
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) {
    for (const std::string& source : d->sources) {
      const std::string recording = source.substr(0, source.find('#'));
      const auto [it, fresh] = part_of.emplace(recording, part);
      EXPECT_EQ(it->second, part) << recording << " in two parts";
    }
    ++part;
  }
  EXPECT_EQ(part_of.size(), 30u);
  EXPECT_NE(described.test_origin.find("20% of each class held out"), std::string::npos);
}

TEST(UserData, SensorRaggedRowAndOtherChannelCountsAreNamed) {
  TempDir dir;
  test::make_sensor_folder(dir.path(), "train", {"a", "b"}, 3, 20, 3, 1);
  const std::string ragged = dir.file("train/b/ragged.csv");
  test::write_text(ragged, "1,2,3\n4,5,6\n7,8\n");
  expect_error_naming(
      ragged + ":3", [&] { load_split(folder(dir.path()), 1); }, "ragged row");
  test::write_text(ragged, "1,2\n4,5\n");
  expect_error_naming(
      ragged, [&] { load_split(folder(dir.path()), 1); }, "2 columns, but");
}

TEST(UserData, HoldOutIsStratifiedDeterministicAndIndependentOfTheTrainingSeed) {
  TempDir dir;
  // Unequal classes: 10, 15 and 20 images.
  test::make_image_folder(dir.path(), "", {"a"}, 10, 8, 8, 1, 1);
  test::make_image_folder(dir.path(), "", {"b"}, 15, 8, 8, 1, 2);
  test::make_image_folder(dir.path(), "", {"c"}, 20, 8, 8, 1, 3);
  const Split one = load_split(folder(dir.path()), 1);
  const auto held = per_class(one.test);
  EXPECT_EQ(held.at(0), 2u);  // round(0.2 * 10)
  EXPECT_EQ(held.at(1), 3u);
  EXPECT_EQ(held.at(2), 4u);
  for (const auto& [label, count] : per_class(one.validation)) EXPECT_GE(count, 1u) << label;
  EXPECT_EQ(per_class(one.validation).size(), 3u);
  EXPECT_EQ(one.train.size() + one.validation.size() + one.test.size(), 45u);

  // Same data, same hold-out, whatever the seed; the seed moves validation only.
  const Split again = load_split(folder(dir.path()), 1);
  EXPECT_EQ(again.test.sources, one.test.sources);
  EXPECT_EQ(again.validation.sources, one.validation.sources);
  const Split other = load_split(folder(dir.path()), 9);
  EXPECT_EQ(other.test.sources, one.test.sources);
  EXPECT_NE(other.validation.sources, one.validation.sources);
  std::set<std::string> seen;
  for (const Dataset* d : {&other.train, &other.validation, &other.test})
    for (const std::string& s : d->sources) EXPECT_TRUE(seen.insert(s).second) << s;

  UserDataOptions o;
  o.holdout = 0.5;
  const Split half = load_split(folder(dir.path(), o), 1);
  EXPECT_EQ(half.test.size(), 5u + 8u + 10u);
}

TEST(UserData, TooFewFilesOrOptionsThatDoNotApplyAreRefused) {
  TempDir dir;
  test::make_image_folder(dir.path(), "train", {"a", "b"}, 4, 8, 8, 1, 1);
  test::make_image_folder(dir.path(), "train", {"c"}, 2, 8, 8, 1, 2);
  expect_error_naming(
      dir.file("train/c"), [&] { load_split(folder(dir.path()), 1); }, "2 images, too few");
  fs::remove_all(dir.file("train/c"));
  UserDataOptions o;
  o.window = 10;
  expect_error_naming(
      dir.path(), [&] { load_split(folder(dir.path(), o), 1); }, "--window applies to sensor");
  DataSpec task;
  task.task = "fashion-mnist";
  task.options.resize_height = task.options.resize_width = 4;
  EXPECT_THROW(load_split(task, 1), Error);
  EXPECT_THROW(load_split(DataSpec{}, 1), Error);
}

TEST(UserData, DescriptionIsOneLineWithEverythingDetected) {
  TempDir dir;
  test::make_image_folder(dir.path(), "train", {"ant", "bee"}, 5, 8, 8, 1, 1);
  DataDescription d;
  load_split(folder(dir.path()), 1, &d);
  const std::string line = describe(d);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  for (const std::string part : {"image folders", "2 classes [ant, bee]", "samples 1x8x8",
                                 "6 train / 2 validation / 2 test", "held out"})
    EXPECT_NE(line.find(part), std::string::npos) << line;
  EXPECT_EQ(folder(dir.path() + "/").name(), fs::path(dir.path()).filename().string());
}

}  // namespace
}  // namespace yono::data
