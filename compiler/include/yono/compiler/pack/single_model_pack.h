// One model of a pack, re-laid out as a pack of its own: the bytes a device
// would have to load from external storage before it could run that model
// (the baseline `yono bench switch` compares against).
#pragma once

#include <cstdint>
#include <vector>

#include "yono/pack.h"

namespace yono {

// A valid pack holding only `model` of `pack`, with the same encoding: its
// tensors, ops, params, the code blocks and codebooks it uses and exactly the
// weight payloads it references (shared payloads once). Records keep their
// meaning, offsets are rebased. Version 2 only when the model uses encoded
// weights. Throws yono::Error for an out-of-range model.
std::vector<uint8_t> single_model_pack(const Pack& pack, uint32_t model);

}  // namespace yono
