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

class Pack {
 public:
  Pack() = default;

  // data must be 4-byte aligned (16 recommended) and stay valid while the
  // Pack and any Session on it are used. Nothing is copied.
  static Status open(const uint8_t* data, size_t size, Pack* out);

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
  const TensorRecord* tensors() const { return tensors_; }
  const OpRecord* ops() const { return ops_; }
  const uint32_t* op_io() const { return op_io_; }
  const uint8_t* params() const { return params_; }
  const uint8_t* weights() const { return weights_; }
  uint32_t weights_size() const { return weights_size_; }
  // v2: shared codebooks and code blocks of encoded weights; count 0 when absent.
  const CodebookRecord* codebooks() const { return codebooks_; }
  uint32_t codebook_count() const { return codebook_count_; }
  const CodeBlockRecord* code_blocks() const { return code_blocks_; }
  uint32_t code_block_count() const { return code_block_count_; }
  const char* string_at(uint32_t offset) const;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  uint32_t model_count_ = 0;
  const ModelRecord* models_ = nullptr;
  const TensorRecord* tensors_ = nullptr;
  uint32_t tensor_count_ = 0;
  const OpRecord* ops_ = nullptr;
  uint32_t op_count_ = 0;
  const uint32_t* op_io_ = nullptr;
  uint32_t op_io_count_ = 0;
  const uint8_t* params_ = nullptr;
  uint32_t params_size_ = 0;
  const uint8_t* weights_ = nullptr;
  uint32_t weights_size_ = 0;
  const char* strings_ = nullptr;
  uint32_t strings_size_ = 0;
  const CodebookRecord* codebooks_ = nullptr;
  uint32_t codebook_count_ = 0;
  const CodeBlockRecord* code_blocks_ = nullptr;
  uint32_t code_block_count_ = 0;
  uint16_t version_ = 0;

  friend class PackValidator;
};

}  // namespace yono
