// A user's image folders: one size for all images (the first file's, or
// --resize), grey or colour decided from the files unless --channels says.
#include "image_decode.h"
#include "user_loaders.h"
#include "yono/compiler/data/image_folder_reader.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace {

std::string size_text(ImageShape s) {
  return std::to_string(s.height) + "x" + std::to_string(s.width);
}

}  // namespace

UserCorpus load_image_folders(const DataLayout& layout, const UserDataOptions& options) {
  ImageFolderOptions o;
  o.threads = options.threads;
  o.resize = options.resize_height > 0;
  o.height = options.resize_height;
  o.width = options.resize_width;
  o.channels = options.channels;
  // The headers first: a file of another size is named before anything is
  // decoded, and whether any file is colour decides the channel count.
  if (!o.resize || o.channels == 0) {
    std::vector<std::string> files = layout.train.files;
    files.insert(files.end(), layout.test.files.begin(), layout.test.files.end());
    const ImageShape first = probe_image(files.front(), read_image_bytes(files.front()));
    bool colour = false;
    for (const std::string& file : files) {
      const ImageShape s = probe_image(file, read_image_bytes(file));
      if (!o.resize && (s.height != first.height || s.width != first.width))
        throw Error(file + ": image is " + size_text(s) + ", but " + files.front() + " is " +
                    size_text(first) + "; give --resize HxW to scale every image to one size");
      colour = colour || s.channels == 3;
    }
    if (!o.resize) {
      o.height = first.height;
      o.width = first.width;
    }
    if (o.channels == 0) o.channels = colour ? 3 : 1;
  }
  UserCorpus corpus;
  corpus.modality = Modality::kImage;
  corpus.unit = "images";
  corpus.train = read_image_files(layout.train, o);
  for (const std::string& name : layout.train.class_names)
    corpus.class_places.push_back(layout.train_dir + "/" + name);
  if (!layout.test_dir.empty()) {
    corpus.has_test = true;
    corpus.test_origin = "test/";
    corpus.test = read_image_files(layout.test, o);
  }
  return corpus;
}

}  // namespace yono::data
