// Which layout a user's data folder has, decided from its files alone:
//   IDX      train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz] at the top
//            (optional t10k-* test files and classes.txt), as MNIST ships
//   images   train/<class>/*.png|jpg (optional test/<class>/), or <class>/ directly
//   audio    the same with *.wav
//   sensor   the same with *.csv|*.txt, one sample per line, channels as columns
#pragma once

#include <string>

#include "yono/compiler/data/class_folders.h"

namespace yono::data {

enum class Layout { kIdx, kImageFolders, kAudioFolders, kSensorFolders };
const char* layout_name(Layout layout);  // "IDX", "image folders", ...

struct DataLayout {
  Layout layout = Layout::kIdx;
  std::string dir;
  // IDX: the files found; the test pair and classes.txt are empty when absent.
  std::string train_images, train_labels, test_images, test_labels, classes_file;
  // Folders: train/ (or dir itself without one) and test/ ("" when absent);
  // test.labels index train.class_names.
  std::string train_dir, test_dir;
  ClassFiles train, test;
};

// Throws yono::Error naming the folder or file at fault: dir missing; IDX
// images without their labels; no IDX files and no class folders (saying what
// was expected); an empty class folder; images and audio mixed; a test/
// class folder that train/ lacks.
DataLayout detect_layout(const std::string& dir);

}  // namespace yono::data
