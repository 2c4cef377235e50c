// Whole-file reads and atomic writes: every output of the tools goes through
// write_file_atomic, so a failure never leaves a half-written file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono {

// Writes to path via a temporary file in the same directory and rename(), so
// a failure never leaves a half-written file. Throws yono::Error.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

std::vector<uint8_t> read_file(const std::string& path);  // throws yono::Error

// Refuses (yono::Error naming both paths) an output that is one of the
// inputs or another output: the same path, or the same file through a link
// or another spelling. Empty paths are ignored.
void check_outputs_distinct(const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs);

}  // namespace yono
