// The "image folder" layout: <dir>/<class>/<any name>.{jpg,jpeg,png}
// (class_folders.h: sorted class names, sorted files).
#pragma once

#include <string>

#include "yono/compiler/data/class_folders.h"
#include "yono/compiler/data/dataset.h"

namespace yono::data {

struct ImageFolderOptions {
  int height = 32, width = 32, channels = 3;  // every image must have this size...
  int threads = 2;                            // decoding dominates; 0 = hardware concurrency
  bool resize = false;                        // ...or, when set, is scaled to it (image_resize.h)
};

// The extensions an image folder holds, and their description for messages.
const std::vector<std::string>& image_extensions();  // .jpg .jpeg .png
const char* image_extensions_text();                 // ".jpg/.png"

// Returns {channels, height, width} samples in [0, 1], files in sorted order
// within each class, sources = file paths. Throws yono::Error naming the
// folder or file on an empty class folder, an undecodable file or a wrong size.
Dataset read_image_folder(const std::string& dir, const ImageFolderOptions& options = {});

// The decoding half for files listed elsewhere: file i becomes sample i with
// label files.labels[i]; same errors.
Dataset read_image_files(const ClassFiles& files, const ImageFolderOptions& options);

}  // namespace yono::data
