#include "yono/status.h"

namespace yono {

const char* status_string(Status s) {
  switch (s) {
    case Status::kOk: return "ok";
    case Status::kInvalidArgument: return "invalid argument";
    case Status::kTruncated: return "truncated pack";
    case Status::kBadMagic: return "not a yono pack (bad magic)";
    case Status::kUnsupportedVersion: return "unsupported pack version";
    case Status::kBadAlignment: return "misaligned pack data";
    case Status::kBadChecksum: return "checksum mismatch";
    case Status::kBadSection: return "bad section table";
    case Status::kBadModel: return "bad model record";
    case Status::kBadTensor: return "bad tensor record";
    case Status::kBadOp: return "bad op record";
    case Status::kBadParams: return "bad op parameters";
    case Status::kArenaTooSmall: return "arena too small";
    case Status::kNoModelSelected: return "no model selected";
    case Status::kNotFound: return "model not found";
  }
  return "unknown status";
}

}  // namespace yono
