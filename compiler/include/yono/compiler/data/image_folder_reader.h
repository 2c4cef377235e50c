// The "image folder" layout: <dir>/<class>/<any name>.{jpg,jpeg,png}.
// Class names are the sorted folder names, so labels do not depend on the
// order the file system lists them in.
#pragma once

#include <string>

#include "yono/compiler/data/dataset.h"

namespace yono::data {

struct ImageFolderOptions {
  int height = 32, width = 32, channels = 3;  // every image must have this size
  int threads = 2;                            // decoding dominates; 0 = hardware concurrency
};

// Returns {channels, height, width} samples in [0, 1], files in sorted order
// within each class, sources = file paths. Throws yono::Error naming the
// folder or file on an empty class folder, an undecodable file or a wrong size.
Dataset read_image_folder(const std::string& dir, const ImageFolderOptions& options = {});

}  // namespace yono::data
