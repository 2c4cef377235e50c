// Class names in a pack (the Labels section, docs/pack-format.md): the
// device never reads them, the tools print them (`yono run`, `yono inspect`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "yono/compiler/ir/ir.h"
#include "yono/pack.h"

namespace yono {

using PackLabels = std::map<std::string, std::vector<std::string>>;  // model -> class names

// The Labels section bytes of `labels` (models in map order); empty when no
// model has class names. Throws yono::Error on an empty class name.
std::vector<uint8_t> encode_labels(const PackLabels& labels);

// The class names of every model of `graphs` that has them.
PackLabels labels_of(const std::vector<ir::Graph>& graphs);

// The Labels section of a validated pack, if any. Throws yono::Error on a
// malformed section (an unterminated string, a model the pack lacks).
PackLabels read_labels(const Pack& pack);

}  // namespace yono
