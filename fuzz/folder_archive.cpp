#include "folder_archive.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace yono::fuzz {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxDepth = 4;

bool safe_byte(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// The relative path the archive's bytes mean, "" for none.
std::string safe_path(const uint8_t* p, size_t n) {
  std::string out, component;
  size_t depth = 0;
  auto flush = [&] {
    if (!component.empty() && component != "." && component != ".." && depth < kMaxDepth) {
      out += (out.empty() ? "" : "/") + component;
      ++depth;
    }
    component.clear();
  };
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == '/') {
      flush();
    } else {
      component += safe_byte(p[i]) ? static_cast<char>(p[i]) : '_';
    }
  }
  flush();
  return out;
}

}  // namespace

void unpack_folder_archive(const uint8_t* data, size_t size, const std::string& root) {
  size_t at = 0;
  for (size_t entry = 0; entry < kMaxArchiveEntries && at < size; ++entry) {
    const size_t claimed = data[at++];
    const size_t path_size = std::min(claimed, size - at);
    const std::string path = safe_path(data + at, path_size);
    const bool folder = path_size > 0 && data[at + path_size - 1] == '/';
    at += path_size;
    size_t content_size = 0;
    if (at + 2 <= size) {
      content_size = data[at] | (size_t{data[at + 1]} << 8);
      at += 2;
    } else {
      at = size;
    }
    content_size = std::min(content_size, size - at);
    const uint8_t* content = data + at;
    at += content_size;
    if (path.empty()) continue;

    const fs::path target = fs::path(root) / path;
    std::error_code ec;
    if (folder) {
      fs::create_directories(target, ec);
      continue;
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec || fs::is_directory(target, ec)) continue;
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(content), static_cast<std::streamsize>(content_size));
  }
}

std::vector<uint8_t> pack_folder_archive(const std::string& root) {
  std::vector<fs::path> entries;
  for (const auto& e : fs::recursive_directory_iterator(root)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  std::vector<uint8_t> out;
  for (const fs::path& p : entries) {
    std::string name = fs::relative(p, root).generic_string();
    std::vector<uint8_t> content;
    if (fs::is_directory(p)) {
      name += "/";
    } else {
      std::ifstream in(p, std::ios::binary);
      content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (name.size() > 255 || content.size() > 65535)
      throw std::runtime_error(p.string() + ": too long for a folder archive entry");
    out.push_back(static_cast<uint8_t>(name.size()));
    out.insert(out.end(), name.begin(), name.end());
    out.push_back(static_cast<uint8_t>(content.size() & 0xFF));
    out.push_back(static_cast<uint8_t>(content.size() >> 8));
    out.insert(out.end(), content.begin(), content.end());
  }
  return out;
}

}  // namespace yono::fuzz
