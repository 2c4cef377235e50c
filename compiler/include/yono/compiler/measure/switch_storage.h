// Where `yono bench switch` puts the target model's own pack, and how it
// reads it back: a directory whose file system takes O_DIRECT, else the
// page cache is dropped before each read. Says which on stderr.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/measure/switch_measure.h"

namespace yono::measure {

// The file exists while this object does.
class ScratchModelFile {
 public:
  // dir: --dir, or empty to try the JSON output's directory, $TMPDIR (or
  // /tmp), then the current directory until one supports O_DIRECT.
  ScratchModelFile(const std::vector<uint8_t>& bytes, const std::string& model,
                   const std::string& dir, const std::string& json_path);
  ~ScratchModelFile();
  ScratchModelFile(const ScratchModelFile&) = delete;
  ScratchModelFile& operator=(const ScratchModelFile&) = delete;

  const ModelFile& file() const { return file_; }
  // "O_DIRECT" or "page cache dropped (posix_fadvise DONTNEED)", flagged
  // when the file system keeps files in RAM.
  std::string mode_text() const;
  // Why O_DIRECT failed in a directory tried first; empty when the first one took it.
  const std::string& fallback_reason() const { return reason_; }

 private:
  ModelFile file_;
  std::string reason_;
  bool memory_backed_ = false;
};

}  // namespace yono::measure
