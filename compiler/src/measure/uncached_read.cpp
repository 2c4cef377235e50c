#include "yono/compiler/measure/uncached_read.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "yono/compiler/error.h"

namespace yono::measure {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

size_t dio_alignment(const std::string& path) {
#ifdef STATX_DIOALIGN
  struct statx sx {};
  if (::statx(AT_FDCWD, path.c_str(), 0, STATX_DIOALIGN, &sx) == 0 &&
      (sx.stx_mask & STATX_DIOALIGN) != 0 && sx.stx_dio_mem_align != 0 &&
      sx.stx_dio_offset_align != 0) {
    return sx.stx_dio_offset_align > sx.stx_dio_mem_align ? sx.stx_dio_offset_align
                                                          : sx.stx_dio_mem_align;
  }
#endif
  (void)path;
  return 4096;
}

// Reads until end of file; O_DIRECT reads stay multiples of the alignment
// because the buffer capacity is one.
size_t read_all(int fd, const std::string& path, AlignedBuffer& buffer) {
  size_t got = 0;
  while (got < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + got, buffer.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(path + ": read failed: " + errno_text());
    }
    if (n == 0) return got;
    got += static_cast<size_t>(n);
  }
  return got;  // a full buffer; the caller compares with the size it expects
}

}  // namespace

size_t round_up(size_t size, size_t alignment) {
  return (size + alignment - 1) / alignment * alignment;
}

bool on_memory_file_system(const std::string& path) {
  struct statfs fs {};
  if (::statfs(path.c_str(), &fs) != 0) return false;
  return fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC;
}

DirectIoSupport probe_direct_io(const std::string& path) {
  DirectIoSupport s;
  s.alignment = dio_alignment(path);
  const Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
  if (fd.get() < 0) {
    s.reason = "open with O_DIRECT: " + errno_text();
    return s;
  }
  AlignedBuffer block(s.alignment, s.alignment);
  if (::read(fd.get(), block.data(), block.size()) < 0) {
    s.reason = "O_DIRECT read: " + errno_text();
    return s;
  }
  s.supported = true;
  return s;
}

size_t read_uncached(const std::string& path, UncachedMode mode, size_t alignment,
                     AlignedBuffer& buffer) {
  if (mode == UncachedMode::kDirect && buffer.size() % alignment != 0) {
    throw Error(path + ": O_DIRECT buffer is not a multiple of " + std::to_string(alignment));
  }
  const int flags = O_RDONLY | O_CLOEXEC | (mode == UncachedMode::kDirect ? O_DIRECT : 0);
  const Fd fd(::open(path.c_str(), flags));
  if (fd.get() < 0) throw Error(path + ": cannot open: " + errno_text());
  if (mode == UncachedMode::kDropCache) {
    // Clean pages are dropped at once, so the read below goes to the device.
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
  }
  return read_all(fd.get(), path, buffer);
}

}  // namespace yono::measure
