// Error codes of the runtime: it never asserts or throws on bad input.
#pragma once

#include <stdint.h>

namespace yono {

enum class Status : int32_t {
  kOk = 0,
  kInvalidArgument,  // null pointer, index out of range, bad caller input
  kTruncated,        // buffer shorter than the header or file_size claims
  kBadMagic,
  kUnsupportedVersion,
  kBadAlignment,   // pack base pointer or a section not aligned
  kBadChecksum,    // header or section CRC32 mismatch
  kBadSection,     // missing, duplicated, overlapping or out-of-bounds section
  kBadModel,       // model record out of range or inconsistent
  kBadTensor,      // tensor record inconsistent (rank, dims, size, offset)
  kBadOp,          // unknown op type, wrong input count, bad tensor index
  kBadParams,      // op parameters inconsistent with its tensors
  kArenaTooSmall,  // caller's arena is smaller than the model needs
  kNoModelSelected,
  kNotFound,  // no model with that name
};

// Stable, human-readable name of a status, e.g. "bad checksum".
const char* status_string(Status s);

}  // namespace yono
