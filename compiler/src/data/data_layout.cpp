#include "yono/compiler/data/data_layout.h"

#include <algorithm>
#include <filesystem>

#include "yono/compiler/data/image_folder_reader.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace fs = std::filesystem;

const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::kIdx: return "IDX";
    case Layout::kImageFolders: return "image folders";
    case Layout::kAudioFolders: return "audio folders";
    case Layout::kSensorFolders: return "sensor folders";
  }
  return "?";
}

namespace {

const std::vector<std::string> kAudioExtensions = {".wav"};
const std::vector<std::string> kSensorExtensions = {".csv", ".txt"};

bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// "<name>.gz" if present (the form MNIST ships), else "<name>" if present, else "".
std::string idx_file(const std::string& dir, const std::string& name) {
  for (const std::string& candidate : {name + ".gz", name}) {
    if (path_exists(fs::path(dir) / candidate)) return (fs::path(dir) / candidate).string();
  }
  return "";
}

// An IDX image file needs its labels beside it.
std::string labels_for(const std::string& dir, const std::string& images,
                       const std::string& labels_name) {
  const std::string labels = idx_file(dir, labels_name);
  if (labels.empty())
    throw Error(images + ": no " + labels_name + "[.gz] beside it for the labels");
  return labels;
}

// The first file of `files` with one of the extensions, or "".
std::string first_with(const std::vector<std::string>& files,
                       const std::vector<std::string>& extensions) {
  for (const std::string& f : files)
    if (has_extension(f, extensions)) return f;
  return "";
}

// Every non-hidden regular file of every class folder, for deciding the kind.
std::vector<std::string> all_files(const std::string& dir,
                                   const std::vector<std::string>& classes) {
  std::vector<std::string> files;
  for (const std::string& c : classes) {
    std::vector<std::string> in_class;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / c)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name[0] != '.') in_class.push_back(entry.path().string());
    }
    std::sort(in_class.begin(), in_class.end());
    files.insert(files.end(), in_class.begin(), in_class.end());
  }
  return files;
}

// Images or audio decide the kind (a notes.txt beside them is not sensor
// data); only folders of nothing but .csv/.txt are sensor recordings.
Layout folder_kind(const DataLayout& d, const std::vector<std::string>& files,
                   const std::vector<std::string>& classes) {
  const std::string image = first_with(files, image_extensions());
  const std::string audio = first_with(files, kAudioExtensions);
  if (!image.empty() && !audio.empty())
    throw Error(d.dir + ": holds both images (" + image + ") and audio (" + audio +
                "); one kind of data per folder");
  if (!image.empty()) return Layout::kImageFolders;
  if (!audio.empty()) return Layout::kAudioFolders;
  if (!first_with(files, kSensorExtensions).empty()) return Layout::kSensorFolders;
  throw Error((fs::path(d.train_dir) / classes.front()).string() +
              ": empty class folder (no .png/.jpg, .wav or .csv/.txt files)");
}

const std::vector<std::string>& extensions_of(Layout layout) {
  if (layout == Layout::kImageFolders) return image_extensions();
  return layout == Layout::kAudioFolders ? kAudioExtensions : kSensorExtensions;
}

const char* extensions_text(Layout layout) {
  if (layout == Layout::kImageFolders) return image_extensions_text();
  return layout == Layout::kAudioFolders ? ".wav" : ".csv/.txt";
}

DataLayout detect_idx(DataLayout d) {
  d.layout = Layout::kIdx;
  d.train_labels = labels_for(d.dir, d.train_images, "train-labels-idx1-ubyte");
  d.test_images = idx_file(d.dir, "t10k-images-idx3-ubyte");
  if (!d.test_images.empty())
    d.test_labels = labels_for(d.dir, d.test_images, "t10k-labels-idx1-ubyte");
  if (path_exists(fs::path(d.dir) / "classes.txt"))
    d.classes_file = (fs::path(d.dir) / "classes.txt").string();
  return d;
}

DataLayout detect_folders(DataLayout d) {
  std::error_code ec;
  const bool has_train = fs::is_directory(fs::path(d.dir) / "train", ec);
  const bool has_test = fs::is_directory(fs::path(d.dir) / "test", ec);
  if (has_test && !has_train) throw Error(d.dir + ": has test/ but no train/ beside it");
  d.train_dir = has_train ? (fs::path(d.dir) / "train").string() : d.dir;
  const std::vector<std::string> classes = class_folder_names(d.train_dir);
  if (classes.empty())
    throw Error(d.dir +
                ": no data found; expected IDX files (train-images-idx3-ubyte[.gz] and "
                "train-labels-idx1-ubyte[.gz]) or class folders (train/<class>/ or <class>/) of "
                ".png/.jpg images, .wav clips or .csv/.txt sensor recordings");
  if (classes.size() < 2)
    throw Error(d.train_dir + ": one class folder (" + classes.front() +
                "); a classifier needs at least two, one folder per class");
  std::vector<std::string> test_classes;
  if (has_test) {
    d.test_dir = (fs::path(d.dir) / "test").string();
    test_classes = class_folder_names(d.test_dir);
    if (test_classes.empty()) throw Error(d.test_dir + ": no class folders");
    for (const std::string& c : test_classes)
      if (std::find(classes.begin(), classes.end(), c) == classes.end())
        throw Error((fs::path(d.test_dir) / c).string() + ": class folder not in " + d.train_dir);
  }
  std::vector<std::string> files = all_files(d.train_dir, classes);
  if (has_test) {
    const std::vector<std::string> more = all_files(d.test_dir, test_classes);
    files.insert(files.end(), more.begin(), more.end());
  }
  d.layout = folder_kind(d, files, classes);
  d.train =
      list_class_files(d.train_dir, classes, extensions_of(d.layout), extensions_text(d.layout));
  if (has_test) {
    d.test = list_class_files(d.test_dir, test_classes, extensions_of(d.layout),
                              extensions_text(d.layout));
    // Labels follow train's classes: test/ may lack a class, never add one.
    for (int32_t& label : d.test.labels) {
      const auto it =
          std::find(classes.begin(), classes.end(), test_classes[static_cast<size_t>(label)]);
      label = static_cast<int32_t>(it - classes.begin());
    }
    d.test.class_names = classes;
  }
  return d;
}

}  // namespace

DataLayout detect_layout(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory");
  DataLayout d;
  d.dir = dir;
  d.train_images = idx_file(dir, "train-images-idx3-ubyte");
  if (!d.train_images.empty()) return detect_idx(std::move(d));
  return detect_folders(std::move(d));
}

}  // namespace yono::data
