// A user's IDX folder (MNIST's layout): class names from classes.txt or the
// labels themselves, optional resize and channel replication.
#include <algorithm>
#include <cctype>
#include <fstream>

#include "user_loaders.h"
#include "yono/compiler/data/idx_reader.h"
#include "yono/compiler/data/image_resize.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace {

// One name per line; blank lines and trailing whitespace ignored.
std::vector<std::string> read_class_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  if (names.empty()) throw Error(path + ": no class names");
  return names;
}

int max_label(const std::string& labels_path) {
  const IdxArray labels = read_idx(labels_path);
  if (labels.bytes.empty()) throw Error(labels_path + ": no labels");
  return *std::max_element(labels.bytes.begin(), labels.bytes.end());
}

// {1, H, W} -> {channels, height, width}: each plane scaled, then repeated
// (a grey image as RGB for a model that takes colour).
void reshape_images(Dataset& d, int height, int width, int channels) {
  const int64_t in_h = d.sample_dims[1], in_w = d.sample_dims[2];
  if (in_h == height && in_w == width && channels == 1) return;
  const size_t plane = static_cast<size_t>(height) * width, in_plane = d.sample_numel();
  std::vector<float> out(d.size() * plane * channels);
  for (size_t i = 0; i < d.size(); ++i) {
    float* dst = out.data() + i * plane * channels;
    resize_plane(d.samples.data() + i * in_plane, static_cast<int>(in_h), static_cast<int>(in_w),
                 dst, height, width);
    for (int c = 1; c < channels; ++c) std::copy(dst, dst + plane, dst + c * plane);
  }
  d.samples = std::move(out);
  d.sample_dims = {channels, height, width};
}

}  // namespace

UserCorpus load_idx_folder(const DataLayout& layout, const UserDataOptions& options) {
  std::vector<std::string> classes;
  if (!layout.classes_file.empty()) {
    classes = read_class_list(layout.classes_file);
  } else {
    int top = max_label(layout.train_labels);
    if (!layout.test_labels.empty()) top = std::max(top, max_label(layout.test_labels));
    for (int c = 0; c <= top; ++c) classes.push_back(std::to_string(c));
  }
  if (classes.size() < 2)
    throw Error((layout.classes_file.empty() ? layout.train_labels : layout.classes_file) +
                ": one class; a classifier needs at least two");
  UserCorpus corpus;
  corpus.modality = Modality::kImage;
  corpus.unit = "samples";
  corpus.train = read_idx_dataset(layout.train_images, layout.train_labels, classes);
  for (const std::string& name : classes)
    corpus.class_places.push_back(layout.train_labels + " (class '" + name + "')");
  if (!layout.test_images.empty()) {
    corpus.has_test = true;
    corpus.test_origin = "t10k files";
    corpus.test = read_idx_dataset(layout.test_images, layout.test_labels, classes);
    if (corpus.test.sample_dims != corpus.train.sample_dims)
      throw Error(layout.test_images + ": images are " + shape_text(corpus.test.sample_dims) +
                  ", but " + layout.train_images + " has " + shape_text(corpus.train.sample_dims));
  }
  const int height = options.resize_height > 0 ? options.resize_height
                                               : static_cast<int>(corpus.train.sample_dims[1]);
  const int width = options.resize_width > 0 ? options.resize_width
                                             : static_cast<int>(corpus.train.sample_dims[2]);
  const int channels = options.channels > 0 ? options.channels : 1;
  reshape_images(corpus.train, height, width, channels);
  if (corpus.has_test) reshape_images(corpus.test, height, width, channels);
  return corpus;
}

}  // namespace yono::data
