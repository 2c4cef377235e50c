#include "fuzz_support.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace yono::fuzz {
namespace {

std::string make_scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/yono-fuzz-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("yono fuzz: mkdtemp");
    std::abort();
  }
  return pattern;
}

void remove_scratch_dir() {
  std::error_code ec;
  std::filesystem::remove_all(scratch_dir(), ec);
}

}  // namespace

const std::string& scratch_dir() {
  static const std::string dir = make_scratch_dir();
  static const bool cleanup_registered = std::atexit(remove_scratch_dir) == 0;
  (void)cleanup_registered;
  return dir;
}

std::string write_scratch_file(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratch_dir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(("yono fuzz: writing " + path).c_str());
    std::abort();
  }
  return path;
}

void clear_scratch_dir() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(scratch_dir(), ec))
    std::filesystem::remove_all(entry.path(), ec);
}

void report_bug(const char* what, const std::string& problem) {
  std::fprintf(stderr, "yono fuzz: %s: %s\n", what, problem.c_str());
  std::abort();
}

void note_refusal(const char* what, const char* message) {
  static const bool verbose = std::getenv("YONO_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "yono fuzz: %s refused: %s\n", what, message);
}

void report_foreign_exception(const char* what, const char* type, const char* message) {
  report_bug(what,
             std::string("an exception other than yono::Error escaped: ") + type + ": " + message);
}

}  // namespace yono::fuzz
