#include "yono/compiler/ir/ir.h"

#include <type_traits>

#include "yono/compiler/error.h"

namespace yono::ir {

int64_t element_count(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    // Dims come from model files: a product past int64 is refused, not
    // wrapped (signed overflow is undefined and would pass later checks).
    if (__builtin_mul_overflow(n, d, &n))
      throw Error("dimensions " + dims_string(dims) + " have too many elements");
  }
  return n;
}

std::string dims_string(const Dims& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

int Graph::add_tensor(Tensor t) {
  tensors.push_back(std::move(t));
  return static_cast<int>(tensors.size()) - 1;
}

int Graph::find_tensor(const std::string& tensor_name) const {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == tensor_name) return static_cast<int>(i);
  return -1;
}

const char* op_type_name(const Op& op) {
  return std::visit(
      [](const auto& a) -> const char* {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ConvAttrs>) return "Conv";
        if constexpr (std::is_same_v<T, DenseAttrs>) return "Dense";
        if constexpr (std::is_same_v<T, PoolAttrs>) return "Pool";
        if constexpr (std::is_same_v<T, GlobalPoolAttrs>) return "GlobalPool";
        if constexpr (std::is_same_v<T, UnaryAttrs>) return "Unary";
        if constexpr (std::is_same_v<T, BinaryAttrs>) return "Binary";
        if constexpr (std::is_same_v<T, ChannelAffineAttrs>) return "ChannelAffine";
        if constexpr (std::is_same_v<T, ConcatAttrs>) return "Concat";
        if constexpr (std::is_same_v<T, SoftmaxAttrs>) return a.log ? "LogSoftmax" : "Softmax";
        if constexpr (std::is_same_v<T, PadAttrs>) return "Pad";
        if constexpr (std::is_same_v<T, ReshapeAttrs>) return "Reshape";
        if constexpr (std::is_same_v<T, AxisGatherAttrs>) return "AxisGather";
        if constexpr (std::is_same_v<T, ConvertAttrs>) return "Convert";
      },
      op.attrs);
}

int64_t parameter_count(const Graph& g) {
  int64_t count = 0;
  for (const Tensor& t : g.tensors) {
    if (t.is_constant) count += element_count(t.dims);
  }
  return count;
}

}  // namespace yono::ir
