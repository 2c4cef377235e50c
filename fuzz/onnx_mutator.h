// A structure-aware mutation of an ONNX model for the onnx_import target.
// Byte-level mutations of a protobuf mostly break its wire format, so the
// importer refuses them at the parse; this one parses the model, changes one
// thing the importer reads (a dimension, an attribute, an op type, which
// tensor a node consumes, a node dropped or repeated, raw tensor bytes) and
// serialises it again, so mutations reach translation, constant folding,
// shape inference and validation. Generic over the message through protobuf
// reflection: every field the model sets is a candidate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace yono::fuzz {

// Mutates the serialised ModelProto in data[0, size) in place and returns
// its new size (at most max_size), or 0 when the bytes do not parse or the
// result would not fit: the caller then mutates the bytes blindly.
size_t mutate_onnx_model(uint8_t* data, size_t size, size_t max_size, unsigned int seed);

}  // namespace yono::fuzz
