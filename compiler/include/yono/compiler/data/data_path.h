// Where the real data sets live. The same code runs on a developer machine
// ($YONO_DATA or ./data), in this repository's shared checkout
// (../shared/datasets) and with Debian's dataset packages (/usr/share/datasets).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace yono::data {

// The search roots in priority order: $YONO_DATA (if set), ./data,
// ../shared/datasets, /usr/share/datasets.
std::vector<std::string> data_search_roots();

// The first existing "<root>/<relative>" (file or directory), or nothing.
// Every candidate looked at is appended to *tried when given.
std::optional<std::string> locate_dataset_path(const std::string& relative,
                                               std::vector<std::string>* tried = nullptr);

// Like locate_dataset_path but throws yono::Error listing every path tried.
std::string find_dataset_dir(const std::string& relative,
                             std::vector<std::string>* tried = nullptr);

}  // namespace yono::data
