// detect_layout on miniature folders of every layout, and the folders it
// must refuse with a message naming the folder or file.
#include "yono/compiler/data/data_layout.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "data_test_support.h"
#include "user_data_fixtures.h"

namespace yono::data {
namespace {

namespace fs = std::filesystem;
using test::expect_error_naming;
using test::TempDir;

TEST(DataLayout, IdxFilesAtTheTop) {
  TempDir dir;
  test::make_idx_folder(dir.path(), 3, 6, 3, 8, 1);
  DataLayout d = detect_layout(dir.path());
  EXPECT_EQ(d.layout, Layout::kIdx);
  EXPECT_NE(d.train_images.find("train-images-idx3-ubyte.gz"), std::string::npos);
  EXPECT_NE(d.test_labels.find("t10k-labels-idx1-ubyte.gz"), std::string::npos);
  EXPECT_TRUE(d.classes_file.empty());

  // No t10k files: no test pair; classes.txt is found.
  fs::remove(dir.file("t10k-images-idx3-ubyte.gz"));
  fs::remove(dir.file("t10k-labels-idx1-ubyte.gz"));
  test::write_text(dir.file("classes.txt"), "a\nb\nc\n");
  d = detect_layout(dir.path());
  EXPECT_TRUE(d.test_images.empty());
  EXPECT_EQ(d.classes_file, dir.file("classes.txt"));

  // Images without labels.
  fs::remove(dir.file("train-labels-idx1-ubyte.gz"));
  expect_error_naming(
      dir.file("train-images-idx3-ubyte.gz"), [&] { detect_layout(dir.path()); },
      "no train-labels-idx1-ubyte[.gz]");
}

TEST(DataLayout, ImageFoldersWithATestSplitThatLacksAClass) {
  TempDir dir;
  test::make_image_folder(dir.path(), "train", {"cat", "dog", "emu"}, 2, 8, 8, 1, 1);
  test::make_image_folder(dir.path(), "test", {"dog", "emu"}, 1, 8, 8, 1, 2);
  test::write_text(dir.file("train/cat/notes.txt"), "not sensor data beside images");
  const DataLayout d = detect_layout(dir.path());
  EXPECT_EQ(d.layout, Layout::kImageFolders);
  EXPECT_EQ(d.train_dir, dir.file("train"));
  EXPECT_EQ(d.train.class_names, (std::vector<std::string>{"cat", "dog", "emu"}));
  EXPECT_EQ(d.train.labels, (std::vector<int32_t>{0, 0, 1, 1, 2, 2}));
  // Test labels index train's classes.
  EXPECT_EQ(d.test.class_names, d.train.class_names);
  EXPECT_EQ(d.test.labels, (std::vector<int32_t>{1, 2}));
}

TEST(DataLayout, ClassFoldersAtTheTopDecideAudioOrSensor) {
  TempDir audio, sensor;
  test::make_audio_folder(audio.path(), "", {"no", "yes"}, 1, 8000, 800, 1);
  EXPECT_EQ(detect_layout(audio.path()).layout, Layout::kAudioFolders);
  test::make_sensor_folder(sensor.path(), "", {"run", "sit"}, 1, 10, 3, 1);
  fs::create_directories(sensor.file(".git/objects"));  // hidden: not a class
  const DataLayout d = detect_layout(sensor.path());
  EXPECT_EQ(d.layout, Layout::kSensorFolders);
  EXPECT_EQ(d.train_dir, sensor.path());
  EXPECT_TRUE(d.test_dir.empty());
  EXPECT_EQ(d.train.class_names, (std::vector<std::string>{"run", "sit"}));
}

TEST(DataLayout, EmptyClassFolderIsNamed) {
  TempDir dir;
  test::make_image_folder(dir.path(), "train", {"a", "b"}, 2, 8, 8, 1, 1);
  fs::create_directories(dir.file("train/hollow"));
  test::write_text(dir.file("train/hollow/readme.md"), "nothing here");
  expect_error_naming(
      dir.file("train/hollow"), [&] { detect_layout(dir.path()); }, "empty class folder");
  // A folder of nothing at all names the first class folder.
  TempDir bare;
  fs::create_directories(bare.file("x"));
  fs::create_directories(bare.file("y"));
  expect_error_naming(
      bare.file("x"), [&] { detect_layout(bare.path()); }, "no .png/.jpg, .wav or .csv/.txt files");
}

TEST(DataLayout, FoldersThatAreNoLayoutSayWhatWasExpected) {
  TempDir dir;
  test::write_text(dir.file("readme.txt"), "data comes later");
  expect_error_naming(
      dir.path(), [&] { detect_layout(dir.path()); }, "expected IDX files");
  expect_error_naming(
      dir.file("missing"), [&] { detect_layout(dir.file("missing")); }, "not a directory");

  TempDir one;
  test::make_image_folder(one.path(), "train", {"only"}, 3, 8, 8, 1, 1);
  expect_error_naming(
      one.file("train"), [&] { detect_layout(one.path()); }, "at least two");

  TempDir mixed;
  test::make_image_folder(mixed.path(), "", {"a"}, 1, 8, 8, 1, 1);
  test::make_audio_folder(mixed.path(), "", {"b"}, 1, 8000, 100, 1);
  expect_error_naming(
      mixed.path(), [&] { detect_layout(mixed.path()); }, "both images");

  TempDir extra;
  test::make_image_folder(extra.path(), "train", {"a", "b"}, 1, 8, 8, 1, 1);
  test::make_image_folder(extra.path(), "test", {"a", "zebra"}, 1, 8, 8, 1, 1);
  expect_error_naming(
      extra.file("test/zebra"), [&] { detect_layout(extra.path()); }, "not in");
}

}  // namespace
}  // namespace yono::data
