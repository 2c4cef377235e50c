// Checks a pack buffer against docs/pack-format.md before Pack exposes any
// of it. Private to the runtime; Pack::open is the public entry point.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/pack.h"
#include "yono/status.h"

namespace yono {

class PackValidator {
 public:
  // Fills *out only when every check passes; *where tracks the record being
  // checked, so on failure it names the one that failed.
  static Status run(const uint8_t* data, size_t size, Pack* out, PackFault* where);

 private:
  static Status check_header(const uint8_t* data, size_t size, PackHeader* header);
  static Status bind_sections(const uint8_t* data, const PackHeader& header, Pack* p,
                              PackFault* where);
  static Status bind_segment(const uint8_t* const (*found)[kMaxSegments],
                             const uint32_t (*found_size)[kMaxSegments], uint32_t k,
                             PackSegment* seg);
  static Status check_name(const PackSegment& s, uint32_t offset);
  static Status check_codebook(const Pack& p, const CodebookRecord& c);
  static Status check_code_block(const Pack& p, const PackSegment& s, const CodeBlockRecord& b);
  static Status check_model(const Pack& p, const ModelRecord& m, PackFault* where);
  static Status check_tensor(const Pack& p, const PackSegment& s, const ModelRecord& m,
                             const TensorRecord& t);
  static Status check_op(const Pack& p, const PackSegment& s, const ModelRecord& m,
                         const OpRecord& op);
};

}  // namespace yono
