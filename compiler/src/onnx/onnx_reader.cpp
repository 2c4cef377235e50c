#include "onnx_reader.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "yono/compiler/error.h"

namespace yono::onnx_import {

onnx::ModelProto load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (bytes.empty()) throw Error(path + ": file is empty, not an ONNX model");
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw Error(path + ": file too large for an ONNX model");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw Error(path + ": not a valid ONNX model (protobuf parse failed; truncated file?)");
  if (!model.has_graph() || model.graph().node_size() == 0)
    throw Error(path + ": not a valid ONNX model (no graph nodes)");
  return model;
}

int default_opset(const onnx::ModelProto& model, const std::string& path) {
  for (const auto& o : model.opset_import()) {
    if (!o.domain().empty() && o.domain() != "ai.onnx") continue;
    if (o.version() < 11 || o.version() > 17)
      throw Error(path + ": opset " + std::to_string(o.version()) +
                  " is not supported (supported: 11..17)");
    return static_cast<int>(o.version());
  }
  throw Error(path + ": model does not import the default ONNX opset");
}

namespace {

template <typename T>
void append_raw(const std::string& raw, size_t count, const std::string& where,
                std::vector<double>& out) {
  if (raw.size() != count * sizeof(T))
    throw Error(where + ": raw_data has " + std::to_string(raw.size()) + " bytes, expected " +
                std::to_string(count * sizeof(T)));
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // little-endian host assumed
    out.push_back(static_cast<double>(v));
  }
}

}  // namespace

HostTensor decode_tensor(const onnx::TensorProto& t, const std::string& where) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw Error(where + ": tensor '" + t.name() + "' uses external data (not supported)");
  HostTensor h;
  for (int64_t d : t.dims()) {
    if (d < 0) throw Error(where + ": tensor '" + t.name() + "' has a negative dimension");
    if (d > kMaxDim) throw Error(where + ": tensor '" + t.name() + "' has a dimension over 2^31");
    h.dims.push_back(d);
  }
  auto count = static_cast<size_t>(ir::element_count(h.dims));
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) {
        append_raw<float>(t.raw_data(), count, where, h.values);
      } else {
        for (float v : t.float_data()) h.values.push_back(v);
      }
      break;
    case onnx::TensorProto::INT64:
      h.is_int = true;
      if (t.has_raw_data()) {
        append_raw<int64_t>(t.raw_data(), count, where, h.values);
      } else {
        for (int64_t v : t.int64_data()) h.values.push_back(static_cast<double>(v));
      }
      break;
    default:
      throw Error(where + ": tensor '" + t.name() + "' has data type " +
                  onnx::TensorProto::DataType_Name(
                      static_cast<onnx::TensorProto::DataType>(t.data_type())) +
                  " (only FLOAT and INT64 are supported)");
  }
  if (h.values.size() != count)
    throw Error(where + ": tensor '" + t.name() + "' has " + std::to_string(h.values.size()) +
                " values for shape " + ir::dims_string(h.dims));
  return h;
}

}  // namespace yono::onnx_import
