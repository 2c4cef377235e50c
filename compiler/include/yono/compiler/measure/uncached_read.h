// Reading a whole file from the storage device rather than from the page
// cache, so a benchmark sees what loading a model from external storage
// costs. O_DIRECT where the file system supports it; otherwise the file's
// cached pages are dropped (posix_fadvise DONTNEED) before each read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "yono/compiler/io/aligned_buffer.h"

namespace yono::measure {

enum class UncachedMode { kDirect, kDropCache };

struct DirectIoSupport {
  bool supported = false;
  size_t alignment = 4096;  // buffer, offset and length multiple for O_DIRECT reads
  std::string reason;       // why not, e.g. "open with O_DIRECT: Invalid argument"
};

// True when `path` lies on tmpfs or ramfs: there even O_DIRECT reads come
// from RAM (Linux >= 6.6 accepts O_DIRECT on tmpfs), not a storage device.
bool on_memory_file_system(const std::string& path);

// Tries an O_DIRECT open and one aligned read of `path` (an existing file).
// The alignment comes from statx(STATX_DIOALIGN) where the kernel reports it,
// else 4096 (a multiple of every common logical block size).
DirectIoSupport probe_direct_io(const std::string& path);

// Reads all of `path` into `buffer` (aligned to `alignment`, its size rounded
// up to a multiple of it already, as O_DIRECT wants for the buffer, offset and
// length) and returns the file's size. Throws yono::Error naming the file.
size_t read_uncached(const std::string& path, UncachedMode mode, size_t alignment,
                     AlignedBuffer& buffer);

// `size` rounded up to a multiple of `alignment`.
size_t round_up(size_t size, size_t alignment);

}  // namespace yono::measure
