// A tiny archive format for fuzzing things that read folder trees (a user's
// data folder): the fuzz input is a sequence of entries
//   u8 path length, path bytes, u16 little-endian content length, content
// that becomes files under a directory. A simple, length-prefixed layout
// keeps mutations meaningful: a flipped byte changes one file's content or
// name, not the whole tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace yono::fuzz {

// At most this many entries are written; the rest of the input is ignored.
constexpr size_t kMaxArchiveEntries = 32;

// Writes the entries of data[0, size) under `root` (which must exist).
// Paths are made safe rather than refused, so every input means a tree:
// components are '/'-separated, empty ones, "." and ".." are dropped, bytes
// outside [A-Za-z0-9._-] become '_', at most 4 levels deep. A path ending
// in '/' makes a folder. A truncated last entry keeps what is there; an
// entry that clashes with an earlier one (a file where a folder is) is skipped.
void unpack_folder_archive(const uint8_t* data, size_t size, const std::string& root);

// The archive of every file and folder under `root` (sorted, so the same
// tree gives the same bytes), for writing seeds. Files over 65535 bytes are
// not representable and throw std::runtime_error.
std::vector<uint8_t> pack_folder_archive(const std::string& root);

}  // namespace yono::fuzz
