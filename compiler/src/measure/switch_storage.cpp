#include "yono/compiler/measure/switch_storage.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "yono/compiler/error.h"

namespace yono::measure {
namespace {

namespace fs = std::filesystem;

// Writes the bytes durably to a fresh file in dir; returns its path.
std::string write_scratch(const std::string& dir, const std::string& model,
                          const std::vector<uint8_t>& bytes) {
  std::string name = (fs::path(dir) / ("yono-switch-" + model + "-XXXXXX.yono")).string();
  const int fd = ::mkstemps(name.data(), 5);
  if (fd < 0) throw Error(dir + ": cannot create a scratch file: " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(name.c_str());
      throw Error(name + ": cannot write: " + why);
    }
    done += static_cast<size_t>(n);
  }
  // On disk before the first O_DIRECT read, which would otherwise wait for writeback.
  ::fsync(fd);
  ::close(fd);
  return name;
}

std::vector<std::string> candidate_dirs(const std::string& dir, const std::string& json_path) {
  if (!dir.empty()) {
    if (!fs::is_directory(dir)) throw Error(dir + ": --dir is not a directory");
    return {dir};
  }
  std::vector<std::string> dirs;
  if (!json_path.empty()) {
    const fs::path parent = fs::absolute(json_path).parent_path();
    if (fs::is_directory(parent)) dirs.push_back(parent.string());
  }
  const char* tmp = std::getenv("TMPDIR");
  dirs.push_back(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
  dirs.push_back(fs::current_path().string());
  return dirs;
}

}  // namespace

ScratchModelFile::ScratchModelFile(const std::vector<uint8_t>& bytes, const std::string& model,
                                   const std::string& dir, const std::string& json_path) {
  file_.bytes = bytes.size();
  const std::vector<std::string> dirs = candidate_dirs(dir, json_path);
  for (const std::string& d : dirs) {
    const bool last = &d == &dirs.back();
    const char* next = last ? "" : "; trying the next directory";
    if (measure::on_memory_file_system(d)) {
      std::fprintf(stderr,
                   "yono: note: %s is tmpfs/ramfs: reads there come from RAM, not a storage "
                   "device%s\n",
                   d.c_str(), last ? "; using it anyway" : next);
      if (!last) {
        if (reason_.empty()) reason_ = d + ": tmpfs/ramfs";
        continue;
      }
    }
    const std::string path = write_scratch(d, model, bytes);
    const measure::DirectIoSupport probe = measure::probe_direct_io(path);
    if (probe.supported) {
      file_.path = path;
      file_.mode = measure::UncachedMode::kDirect;
      file_.alignment = probe.alignment;
      memory_backed_ = measure::on_memory_file_system(d);
      return;
    }
    std::fprintf(stderr, "yono: note: %s: O_DIRECT not supported (%s)%s\n", d.c_str(),
                 probe.reason.c_str(), next);
    if (reason_.empty()) reason_ = d + ": " + probe.reason;
    ::unlink(path.c_str());
  }
  // No directory takes O_DIRECT: drop the file's cached pages before each read instead.
  file_.path = write_scratch(dirs.front(), model, bytes);
  file_.mode = measure::UncachedMode::kDropCache;
  memory_backed_ = measure::on_memory_file_system(dirs.front());
  std::fprintf(stderr,
               "yono: note: falling back to buffered reads with the page cache dropped before "
               "each read (posix_fadvise DONTNEED) in %s\n",
               dirs.front().c_str());
}

ScratchModelFile::~ScratchModelFile() {
  if (!file_.path.empty()) ::unlink(file_.path.c_str());
}

std::string ScratchModelFile::mode_text() const {
  const std::string t = file_.mode == measure::UncachedMode::kDirect
                            ? "O_DIRECT"
                            : "page cache dropped (posix_fadvise DONTNEED)";
  return memory_backed_ ? t + " on tmpfs/ramfs: RAM, not a storage device" : t;
}

}  // namespace yono::measure
