#include "yono/compiler/data/class_folders.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "yono/compiler/error.h"

namespace yono::data {
namespace fs = std::filesystem;

std::vector<std::string> class_folder_names(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name[0] != '.') names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool has_extension(const std::string& path, const std::vector<std::string>& extensions) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

ClassFiles list_class_files(const std::string& dir, const std::vector<std::string>& class_names,
                            const std::vector<std::string>& extensions, const std::string& what) {
  ClassFiles out;
  out.class_names = class_names;
  for (size_t c = 0; c < class_names.size(); ++c) {
    const fs::path class_dir = fs::path(dir) / class_names[c];
    std::error_code ec;
    if (!fs::is_directory(class_dir, ec)) throw Error(class_dir.string() + ": not a directory");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(class_dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name[0] != '.' && has_extension(name, extensions))
        files.push_back(entry.path().string());
    }
    if (files.empty()) throw Error(class_dir.string() + ": empty class folder (no " + what + ")");
    std::sort(files.begin(), files.end());
    out.files.insert(out.files.end(), files.begin(), files.end());
    out.labels.insert(out.labels.end(), files.size(), static_cast<int32_t>(c));
  }
  return out;
}

}  // namespace yono::data
