// The class-per-folder layout shared by image, audio and sensor data:
// <dir>/<class>/<file>. Class names are the sorted folder names and files are
// sorted within each class, so labels and sample order do not depend on the
// order the file system lists them in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono::data {

struct ClassFiles {
  std::vector<std::string> class_names;
  std::vector<std::string> files;  // class by class, sorted by name within each
  std::vector<int32_t> labels;     // per file, index into class_names
};

// The sub-folders of dir, sorted; hidden ones (".git") are skipped. Throws
// yono::Error when dir is not a directory.
std::vector<std::string> class_folder_names(const std::string& dir);

// True when path's extension, in any case, is one of `extensions` (".png").
bool has_extension(const std::string& path, const std::vector<std::string>& extensions);

// Every file of <dir>/<class> (for each of class_names, in that order) with
// one of the extensions; hidden files are skipped. Throws yono::Error naming
// the folder when one has no such file: "<dir>/<class>: empty class folder
// (no <what>)".
ClassFiles list_class_files(const std::string& dir, const std::vector<std::string>& class_names,
                            const std::vector<std::string>& extensions, const std::string& what);

}  // namespace yono::data
