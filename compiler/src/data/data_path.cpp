#include "yono/compiler/data/data_path.h"

#include <cstdlib>
#include <filesystem>

#include "yono/compiler/error.h"

namespace yono::data {

std::vector<std::string> data_search_roots() {
  std::vector<std::string> roots;
  if (const char* env = std::getenv("YONO_DATA"); env != nullptr && env[0] != '\0') {
    roots.emplace_back(env);
  }
  roots.emplace_back("./data");
  roots.emplace_back("../shared/datasets");
  roots.emplace_back("/usr/share/datasets");
  return roots;
}

std::optional<std::string> locate_dataset_path(const std::string& relative,
                                               std::vector<std::string>* tried) {
  for (const std::string& root : data_search_roots()) {
    const std::string candidate = (std::filesystem::path(root) / relative).string();
    if (tried != nullptr) tried->push_back(candidate);
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

std::string find_dataset_dir(const std::string& relative, std::vector<std::string>* tried) {
  std::vector<std::string> local;
  std::vector<std::string>& record = tried != nullptr ? *tried : local;
  const size_t first = record.size();
  if (auto found = locate_dataset_path(relative, &record)) return *found;
  std::string message = "data set '" + relative + "' not found; tried:";
  for (size_t i = first; i < record.size(); ++i) message += " " + record[i];
  message += " (set YONO_DATA to its parent folder)";
  throw Error(message);
}

}  // namespace yono::data
