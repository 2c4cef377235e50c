// Zero-copy, validating reader of a pack that lives in flash.
// Pack::open checks every byte it will later trust (CRCs, section bounds,
// every model, tensor, op and parameter struct), so Session::invoke never
// re-checks and never reads out of bounds.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/format.h"
#include "yono/status.h"

namespace yono {

struct TensorInfo {
  const char* name;
  uint32_t rank;
  const uint32_t* dims;  // rank entries
  uint32_t element_count;
};

// One segment's sections (docs/pack-format.md, "Segments"): the names,
// records and payloads of the models stored in it. A pack written whole has
// one; each `yono add` appends one, leaving the earlier ones byte for byte.
// Indices in a model's records (first_tensor, io_first, param_offset, code
// block and Weights offsets, names) are relative to its segment's sections.
struct PackSegment {
  const char* strings;
  uint32_t strings_size;
  const TensorRecord* tensors;
  uint32_t tensor_count;
  const OpRecord* ops;
  uint32_t op_count;
  const uint32_t* op_io;
  uint32_t op_io_count;
  const uint8_t* params;
  uint32_t params_size;
  const uint8_t* weights;
  uint32_t weights_size;
  const CodeBlockRecord* code_blocks;  // v2: count 0 when absent
  uint32_t code_block_count;

  // The NUL-terminated name at `offset` of Strings, or null when out of range.
  const char* string_at(uint32_t offset) const;
};

// Where Pack::open found a pack invalid, for a tool to say which record
// (a device needs only the Status). `index` counts entries of `part`: a
// section table entry, a codebook, a code block of `segment`, a model, or a
// tensor or op of `model`.
enum class PackPart : uint8_t {
  kNone,  // open succeeded, or failed before reading the header
  kHeader,
  kSectionTable,  // index: the entry, or UINT32_MAX for the table as a whole
  kCodebook,      // index: the codebook
  kCodeBlock,     // segment, index: the code block within the segment
  kModel,         // index (= model): the model record, its ranges and names
  kTensor,        // model, index: the tensor within the model
  kOp,            // model, index: the op within the model
  kDataflow,      // model: an op reads, or the model outputs, unwritten bytes
};

struct PackFault {
  PackPart part = PackPart::kNone;
  uint32_t segment = 0;
  uint32_t model = 0;
  uint32_t index = 0;
};

class Pack {
 public:
  Pack() = default;

  // data must be 4-byte aligned (16 recommended) and stay valid while the
  // Pack and any Session on it are used. Nothing is copied. On failure
  // *fault, when given, says where.
  static Status open(const uint8_t* data, size_t size, Pack* out, PackFault* fault = nullptr);

  uint32_t model_count() const { return model_count_; }
  Status find_model(const char* name, uint32_t* index) const;
  const char* model_name(uint32_t model) const;
  uint32_t arena_size(uint32_t model) const;    // 0 for an out-of-range model; includes scratch
  uint32_t scratch_size(uint32_t model) const;  // 0 for an out-of-range model
  uint16_t version() const { return version_; }
  uint32_t input_count(uint32_t model) const;
  uint32_t output_count(uint32_t model) const;
  Status input_info(uint32_t model, uint32_t i, TensorInfo* out) const;
  Status output_info(uint32_t model, uint32_t i, TensorInfo* out) const;

  // Raw access for the Session and for tools (inspect); valid after open().
  const ModelRecord* models() const { return models_; }
  uint32_t segment_count() const { return segment_count_; }
  const PackSegment& segment(uint32_t i) const { return segments_[i < segment_count_ ? i : 0]; }
  // The segment holding `model`'s records (the validator checked the index).
  const PackSegment& model_segment(uint32_t model) const {
    return segment(model < model_count_ ? models_[model].segment : 0);
  }
  // v2: shared codebooks and code blocks of encoded weights; count 0 when absent.
  const CodebookRecord* codebooks() const { return codebooks_; }
  uint32_t codebook_count() const { return codebook_count_; }
  // Codebook values and names live in segment 0, which every pack has.
  const uint8_t* codebook_data(const CodebookRecord& c) const {
    return segments_[0].weights + c.data_offset;
  }
  const char* codebook_name(uint32_t codebook) const;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  uint32_t model_count_ = 0;
  const ModelRecord* models_ = nullptr;
  PackSegment segments_[kMaxSegments] = {};
  uint32_t segment_count_ = 0;
  const CodebookRecord* codebooks_ = nullptr;
  uint32_t codebook_count_ = 0;
  uint16_t version_ = 0;

  friend class PackValidator;
};

}  // namespace yono
