// ONNX data-movement ops -> IR AxisGather (see gather_translation.cpp).
#pragma once

#include <string>

#include "importer.h"

namespace yono::onnx_import {

void translate_transpose(Importer& imp, const onnx::NodeProto& n);
void translate_slice(Importer& imp, const onnx::NodeProto& n);
void translate_gather(Importer& imp, const onnx::NodeProto& n);
void translate_split(Importer& imp, const onnx::NodeProto& n);
void translate_expand(Importer& imp, const onnx::NodeProto& n);
void translate_resize(Importer& imp, const onnx::NodeProto& n);
// mode "edge" or "reflect"; pads (input 1) and axes (input 3) constant.
void translate_pad_by_gather(Importer& imp, const onnx::NodeProto& n, const std::string& mode);

// Repeats tensor x (an activation) along its size-1 axes to `target`, a
// numpy broadcast of its dims; returns x itself when nothing repeats.
int expand_tensor(Importer& imp, const onnx::NodeProto& n, int x, const ir::Dims& target);

}  // namespace yono::onnx_import
