// Executes one model of a pack at a time in a caller-provided arena.
// Switching models is O(1): it only repoints the model record; no weight
// byte is copied, since kernels read weights straight from the pack.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/pack.h"
#include "yono/status.h"

namespace yono {

struct TensorView {
  float* data;  // null when the index is out of range or no model is selected
  uint32_t element_count;
};

class Session {
 public:
  // arena must be 16-byte aligned; its size is checked on select().
  Session(const Pack& pack, uint8_t* arena, size_t arena_size);

  Status select(uint32_t model);
  uint32_t selected() const { return model_; }

  TensorView input(uint32_t i = 0);
  TensorView output(uint32_t i = 0);
  Status invoke();

 private:
  TensorView view(uint32_t tensor_index);

  const Pack* pack_;
  uint8_t* arena_;
  size_t arena_size_;
  uint32_t model_;  // kNone until select() succeeds
  const ModelRecord* record_ = nullptr;
  const PackSegment* segment_ = nullptr;  // record_'s segment
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
};

}  // namespace yono
