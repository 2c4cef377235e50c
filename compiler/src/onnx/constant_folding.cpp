// Import-time evaluation of nodes whose inputs are all known constants.
// PyTorch emits shape arithmetic (Shape->Gather->Unsqueeze->Concat->Reshape
// for flatten, ConstantOfShape/Slice/Transpose for F.pad) that must vanish
// before translation, since the runtime only computes float activations.
#include <algorithm>
#include <cmath>
#include <map>

#include "node_translation.h"
#include "shape_ops.h"

namespace yono::onnx_import {
namespace {

using Index = std::vector<int64_t>;

Index strides_of(const ir::Dims& d) {
  Index s(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

// Visits every multi-index of dims in row-major order.
template <typename F>
void for_each_index(const ir::Dims& dims, F f) {
  int64_t total = ir::element_count(dims);
  Index idx(dims.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    f(idx);
    for (size_t k = dims.size(); k-- > 0;) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
  }
}

HostTensor with_dims(const HostTensor& t, ir::Dims dims) {
  HostTensor out = t;
  out.dims = std::move(dims);
  return out;
}

HostTensor elementwise(const Importer& imp, const onnx::NodeProto& n, const HostTensor& a,
                       const HostTensor& b, const std::string& op) {
  if (a.is_int != b.is_int) imp.fail(n, "mixed int64 and float operands");
  size_t rank = std::max(a.dims.size(), b.dims.size());
  auto aligned = [&](const ir::Dims& d) {
    ir::Dims r(rank - d.size(), 1);
    r.insert(r.end(), d.begin(), d.end());
    return r;
  };
  ir::Dims da = aligned(a.dims), db = aligned(b.dims), out(rank);
  for (size_t i = 0; i < rank; ++i) {
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1)
      imp.fail(n,
               "cannot broadcast " + ir::dims_string(a.dims) + " with " + ir::dims_string(b.dims));
    out[i] = da[i] == 1 ? db[i] : da[i];
  }
  Index sa = strides_of(da), sb = strides_of(db);
  HostTensor r;
  r.dims = out;
  r.is_int = a.is_int || op == "Equal";
  for_each_index(out, [&](const Index& idx) {
    int64_t ia = 0, ib = 0;
    for (size_t k = 0; k < rank; ++k) {
      ia += (da[k] == 1 ? 0 : idx[k]) * sa[k];
      ib += (db[k] == 1 ? 0 : idx[k]) * sb[k];
    }
    double x = a.values[static_cast<size_t>(ia)], y = b.values[static_cast<size_t>(ib)], v = 0;
    if (op == "Add") v = x + y;
    if (op == "Sub") v = x - y;
    if (op == "Mul") v = x * y;
    if (op == "Div") {
      if (a.is_int && y == 0) imp.fail(n, "integer division by zero");
      v = a.is_int ? std::trunc(x / y) : x / y;
    }
    if (op == "Equal") v = x == y ? 1 : 0;  // a bool tensor, kept as int
    // Float constants behave as float32: round each result.
    r.values.push_back(r.is_int ? v : static_cast<double>(static_cast<float>(v)));
  });
  return r;
}

HostTensor gather(const Importer& imp, const onnx::NodeProto& n, const HostTensor& data,
                  const HostTensor& indices) {
  if (!indices.is_int) imp.fail(n, "indices must be int64");
  auto axis =
      static_cast<size_t>(normalise_axis(imp, n, imp.attr_int(n, "axis", 0), data.dims.size()));
  ir::Dims out(data.dims.begin(), data.dims.begin() + static_cast<long>(axis));
  out.insert(out.end(), indices.dims.begin(), indices.dims.end());
  out.insert(out.end(), data.dims.begin() + static_cast<long>(axis) + 1, data.dims.end());
  int64_t outer = 1, inner = 1, len = data.dims[axis];
  for (size_t i = 0; i < axis; ++i) outer *= data.dims[i];
  for (size_t i = axis + 1; i < data.dims.size(); ++i) inner *= data.dims[i];
  HostTensor r;
  r.dims = out;
  r.is_int = data.is_int;
  for (int64_t o = 0; o < outer; ++o)
    for (double iv : indices.values) {
      int64_t k = to_int64(iv);
      if (k < 0) k += len;
      if (k < 0 || k >= len) imp.fail(n, "index " + std::to_string(to_int64(iv)) + " out of range");
      for (int64_t i = 0; i < inner; ++i)
        r.values.push_back(data.values[static_cast<size_t>((o * len + k) * inner + i)]);
    }
  return r;
}

HostTensor concat(const Importer& imp, const onnx::NodeProto& n) {
  const HostTensor& first = imp.constant(n, 0);
  if (first.dims.empty()) imp.fail(n, "cannot concatenate scalars");
  auto axis =
      static_cast<size_t>(normalise_axis(imp, n, imp.attr_int(n, "axis", 0), first.dims.size()));
  int64_t outer = 1;
  for (size_t i = 0; i < axis; ++i) outer *= first.dims[i];
  HostTensor r;
  r.dims = first.dims;
  r.dims[axis] = 0;
  r.is_int = first.is_int;
  for (int i = 0; i < n.input_size(); ++i) {
    const HostTensor& t = imp.constant(n, i);
    if (t.dims.size() != first.dims.size() || t.is_int != first.is_int)
      imp.fail(n, "inputs differ in rank or type");
    r.dims[axis] += t.dims[axis];
  }
  for (int64_t o = 0; o < outer; ++o)
    for (int i = 0; i < n.input_size(); ++i) {
      const HostTensor& t = imp.constant(n, i);
      int64_t chunk = outer ? ir::element_count(t.dims) / outer : 0;
      auto begin = t.values.begin() + static_cast<long>(o * chunk);
      r.values.insert(r.values.end(), begin, begin + static_cast<long>(chunk));
    }
  return r;
}

HostTensor slice(const Importer& imp, const onnx::NodeProto& n, const HostTensor& data) {
  const std::vector<std::vector<int64_t>> picks = slice_positions(imp, n, data.dims);
  const size_t rank = data.dims.size();
  ir::Dims out;
  for (const auto& p : picks) out.push_back(static_cast<int64_t>(p.size()));
  Index strides = strides_of(data.dims);
  HostTensor r;
  r.dims = out;
  r.is_int = data.is_int;
  for_each_index(out, [&](const Index& idx) {
    int64_t off = 0;
    for (size_t k = 0; k < rank; ++k) off += picks[k][static_cast<size_t>(idx[k])] * strides[k];
    r.values.push_back(data.values[static_cast<size_t>(off)]);
  });
  return r;
}

HostTensor transpose(const Importer& imp, const onnx::NodeProto& n, const HostTensor& data) {
  const size_t rank = data.dims.size();
  // The offsets below index by perm: it names every axis once.
  const std::vector<int64_t> perm = transpose_perm(imp, n, rank);
  ir::Dims out(rank);
  for (size_t i = 0; i < rank; ++i) out[i] = data.dims[static_cast<size_t>(perm[i])];
  Index strides = strides_of(data.dims);
  HostTensor r;
  r.dims = out;
  r.is_int = data.is_int;
  for_each_index(out, [&](const Index& idx) {
    int64_t off = 0;
    for (size_t k = 0; k < rank; ++k) off += idx[k] * strides[static_cast<size_t>(perm[k])];
    r.values.push_back(data.values[static_cast<size_t>(off)]);
  });
  return r;
}

HostTensor cast(const Importer& imp, const onnx::NodeProto& n, const HostTensor& in) {
  HostTensor r = in;
  int64_t to = imp.attr_int(n, "to", 0);
  if (to == onnx::TensorProto::INT64) {
    r.is_int = true;
    for (double& v : r.values) v = std::trunc(v);
  } else if (to == onnx::TensorProto::FLOAT) {
    r.is_int = false;
    for (double& v : r.values) v = static_cast<double>(static_cast<float>(v));
  } else {
    imp.fail(n, "cast to data type " + std::to_string(to) + " is not supported");
  }
  return r;
}

HostTensor constant_node(const Importer& imp, const onnx::NodeProto& n) {
  std::string where = "node '" + imp.node_name(n) + "'";
  if (const auto* t = imp.attr_tensor(n, "value")) return decode_tensor(*t, where);
  HostTensor r;
  if (imp.has_attr(n, "value_float")) {
    r.values = {imp.attr_float(n, "value_float", 0.f)};
  } else if (imp.has_attr(n, "value_int")) {
    r.is_int = true;
    r.values = {static_cast<double>(imp.attr_int(n, "value_int", 0))};
  } else if (imp.has_attr(n, "value_ints")) {
    r.is_int = true;
    for (int64_t v : imp.attr_ints(n, "value_ints")) r.values.push_back(static_cast<double>(v));
    r.dims = {static_cast<int64_t>(r.values.size())};
  } else {
    imp.fail(n, "only value, value_float, value_int and value_ints constants are supported");
  }
  return r;
}

// A few bytes of model can ask ConstantOfShape for any number of elements;
// more than this is refused rather than allocated (2^24 doubles is 128 MB,
// far more than any shape arithmetic or padding constant needs).
constexpr int64_t kMaxFilledElements = int64_t{1} << 24;

HostTensor constant_of_shape(const Importer& imp, const onnx::NodeProto& n) {
  HostTensor r;
  r.dims = imp.constant_ints(n, 0);
  int64_t count = 1;
  for (int64_t d : r.dims) {
    if (d < 0 || (d != 0 && count > kMaxFilledElements / d))
      imp.fail(n, "shape " + ir::dims_string(r.dims) + " is negative or too large");
    count *= d;
  }
  if (const auto* t = imp.attr_tensor(n, "value")) {
    HostTensor v = decode_tensor(*t, "node '" + imp.node_name(n) + "'");
    if (v.values.size() != 1) imp.fail(n, "value must have one element");
    r.is_int = v.is_int;
    r.values.assign(static_cast<size_t>(count), v.values[0]);
  } else {
    r.values.assign(static_cast<size_t>(count), 0.0);
  }
  return r;
}

HostTensor shape_of(const Importer& imp, const onnx::NodeProto& n) {
  const ir::Dims& d = imp.dims(n, 0);
  auto rank = static_cast<int64_t>(d.size());
  int64_t start = imp.attr_int(n, "start", 0), end = imp.attr_int(n, "end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  HostTensor r;
  r.is_int = true;
  for (int64_t i = start; i < end; ++i)
    r.values.push_back(static_cast<double>(d[static_cast<size_t>(i)]));
  r.dims = {static_cast<int64_t>(r.values.size())};
  return r;
}

// Where(c, x, y) = c ? x : y with numpy broadcasting of all three, chosen
// element by element (arithmetic like c * x + (1 - c) * y breaks on Inf).
HostTensor where(const Importer& imp, const onnx::NodeProto& n) {
  const HostTensor& c = imp.constant(n, 0);
  const HostTensor& x = imp.constant(n, 1);
  const HostTensor& y = imp.constant(n, 2);
  if (x.is_int != y.is_int) imp.fail(n, "mixed int64 and float operands");
  const size_t rank = std::max({c.dims.size(), x.dims.size(), y.dims.size()});
  auto aligned = [&](const ir::Dims& d) {
    ir::Dims r(rank - d.size(), 1);
    r.insert(r.end(), d.begin(), d.end());
    return r;
  };
  const ir::Dims dc = aligned(c.dims), dx = aligned(x.dims), dy = aligned(y.dims);
  ir::Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    out[i] = std::max({dc[i], dx[i], dy[i]});
    for (int64_t d : {dc[i], dx[i], dy[i]})
      if (d != 1 && d != out[i]) imp.fail(n, "operands do not broadcast");
  }
  const Index sc = strides_of(dc), sx = strides_of(dx), sy = strides_of(dy);
  HostTensor r;
  r.dims = out;
  r.is_int = x.is_int;
  for_each_index(out, [&](const Index& idx) {
    int64_t ic = 0, ix = 0, iy = 0;
    for (size_t k = 0; k < rank; ++k) {
      ic += (dc[k] == 1 ? 0 : idx[k]) * sc[k];
      ix += (dx[k] == 1 ? 0 : idx[k]) * sx[k];
      iy += (dy[k] == 1 ? 0 : idx[k]) * sy[k];
    }
    r.values.push_back(c.values[static_cast<size_t>(ic)] != 0 ? x.values[static_cast<size_t>(ix)]
                                                              : y.values[static_cast<size_t>(iy)]);
  });
  return r;
}

HostTensor binary_fold(const Importer& imp, const onnx::NodeProto& n) {
  return elementwise(imp, n, imp.constant(n, 0), imp.constant(n, 1), n.op_type());
}

// Ones of the given shape (an int64 tensor's values), int or float.
HostTensor constant_of_shape_like(const Importer& imp, const onnx::NodeProto& n,
                                  const HostTensor& shape, bool is_int) {
  HostTensor r;
  r.is_int = is_int;
  int64_t count = 1;
  for (double v : shape.values) {
    const int64_t d = to_int64(v);
    if (d < 0 || (d != 0 && count > kMaxFilledElements / d))
      imp.fail(n, "shape is negative or too large");
    count *= d;
    r.dims.push_back(d);
  }
  r.values.assign(static_cast<size_t>(count), 1.0);
  return r;
}

bool all_inputs_constant(const Importer& imp, const onnx::NodeProto& n) {
  for (int i = 0; i < n.input_size(); ++i)
    if (!n.input(i).empty() && !imp.is_constant(n, i)) return false;
  return true;
}

using Fold = HostTensor (*)(const Importer&, const onnx::NodeProto&);

HostTensor expand(const Importer& imp, const onnx::NodeProto& n) {
  const HostTensor& x = imp.constant(n, 0);
  HostTensor shape;
  shape.is_int = true;
  for (int64_t d : imp.constant_ints(n, 1)) {
    if (d < 0) imp.fail(n, "negative dim in the shape");
    shape.values.push_back(static_cast<double>(d));
  }
  shape.dims = {static_cast<int64_t>(shape.values.size())};
  // x * ones(shape) broadcast; the values are copied, not multiplied.
  HostTensor ones = constant_of_shape_like(imp, n, shape, x.is_int);
  HostTensor r = elementwise(imp, n, x, ones, "Mul");
  return r;
}

// Which ops fold, and how; the order is irrelevant (looked up by name).
const std::map<std::string, Fold>& folds() {
  static const std::map<std::string, Fold> table = {
      {"Identity", [](const Importer& i, const onnx::NodeProto& n) { return i.constant(n, 0); }},
      {"Dropout", [](const Importer& i, const onnx::NodeProto& n) { return i.constant(n, 0); }},
      {"Reshape",
       [](const Importer& i, const onnx::NodeProto& n) {
         return with_dims(i.constant(n, 0), reshape_target(i, n, i.dims(n, 0)));
       }},
      {"Flatten",
       [](const Importer& i, const onnx::NodeProto& n) {
         return with_dims(i.constant(n, 0), flatten_target(i, n, i.dims(n, 0)));
       }},
      {"Squeeze",
       [](const Importer& i, const onnx::NodeProto& n) {
         return with_dims(i.constant(n, 0), squeeze_target(i, n, i.dims(n, 0)));
       }},
      {"Unsqueeze",
       [](const Importer& i, const onnx::NodeProto& n) {
         return with_dims(i.constant(n, 0), unsqueeze_target(i, n, i.dims(n, 0)));
       }},
      {"Add", [](const Importer& i, const onnx::NodeProto& n) { return binary_fold(i, n); }},
      {"Sub", [](const Importer& i, const onnx::NodeProto& n) { return binary_fold(i, n); }},
      {"Mul", [](const Importer& i, const onnx::NodeProto& n) { return binary_fold(i, n); }},
      {"Div", [](const Importer& i, const onnx::NodeProto& n) { return binary_fold(i, n); }},
      {"Equal", [](const Importer& i, const onnx::NodeProto& n) { return binary_fold(i, n); }},
      {"Where", where},
      {"Gather",
       [](const Importer& i, const onnx::NodeProto& n) {
         return gather(i, n, i.constant(n, 0), i.constant(n, 1));
       }},
      {"Concat", [](const Importer& i, const onnx::NodeProto& n) { return concat(i, n); }},
      {"Slice",
       [](const Importer& i, const onnx::NodeProto& n) { return slice(i, n, i.constant(n, 0)); }},
      {"Transpose", [](const Importer& i,
                       const onnx::NodeProto& n) { return transpose(i, n, i.constant(n, 0)); }},
      {"Cast",
       [](const Importer& i, const onnx::NodeProto& n) { return cast(i, n, i.constant(n, 0)); }},
      {"ConstantOfShape", constant_of_shape},
      {"Expand", expand},
  };
  return table;
}

}  // namespace

std::vector<std::string> folded_ops() {
  std::vector<std::string> out = {"Constant", "Shape"};
  for (const auto& [name, fold] : folds()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

bool try_fold_constant(Importer& imp, const onnx::NodeProto& n) {
  const std::string& op = n.op_type();
  if (n.output_size() < 1) return false;
  HostTensor r;
  if (op == "Constant") {
    r = constant_node(imp, n);
  } else if (op == "Shape") {
    if (!imp.has_input(n, 0)) imp.fail(n, "missing input");
    r = shape_of(imp, n);  // only the input's shape is needed, which is static
  } else if (n.input_size() == 0 || !all_inputs_constant(imp, n)) {
    return false;
  } else {
    auto it = folds().find(op);
    if (it == folds().end()) return false;
    r = it->second(imp, n);
  }
  imp.define_constant(n.output(0), std::move(r));
  return true;
}

}  // namespace yono::onnx_import
