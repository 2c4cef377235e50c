// The class names of a classifier in ONNX: metadata_props key "yono.classes",
// a JSON array of strings (index i names output i). Metadata rather than a
// graph attribute, so other tools (onnxruntime, Netron) show and keep it.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace yono::onnx_import {

inline constexpr const char* kClassNamesKey = "yono.classes";

// Adds the entry; no entry for an empty list.
void write_class_names(const std::vector<std::string>& names, onnx::ModelProto& model);

// The names, or an empty list without the entry. Throws yono::Error naming
// `path` when the entry is not a JSON array of strings.
std::vector<std::string> read_class_names(const onnx::ModelProto& model, const std::string& path);

}  // namespace yono::onnx_import
