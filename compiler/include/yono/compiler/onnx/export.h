// IR graph -> ONNX (opset 13) that our importer, onnxruntime and Netron read.
// Fused activations become separate Relu/Clip nodes and ChannelAffine a
// BatchNormalization (mean 0, var 1, epsilon 0), so importing the export
// gives back the same computation.
#pragma once

#include <string>

#include "yono/compiler/ir/ir.h"

namespace yono {

// Serialised ModelProto, already accepted by onnx::checker::check_model.
// Throws yono::Error naming the op when the graph cannot be expressed.
std::string export_onnx(const ir::Graph& g);

// export_onnx written atomically (temporary file + rename).
void write_onnx(const ir::Graph& g, const std::string& path);

}  // namespace yono
