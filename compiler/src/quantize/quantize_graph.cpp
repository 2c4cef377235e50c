#include "yono/compiler/quantize/quantize_graph.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <variant>

#include "../pack/lower_ops.h"
#include "yono/compiler/error.h"
#include "yono/compiler/quantize/quant_math.h"
#include "yono/kernels.h"

namespace yono::quantize {
namespace {

bool integer_codebook(const ir::Codebook& c) {
  return c.dtype == ir::CodebookDType::kI16 && c.value_scale > 0.0f;
}

// Ops that have an int8 kernel for these tensors.
bool runs_int8(const ir::Graph& g, const ir::Op& op, const std::vector<ir::Codebook>& codebooks) {
  const auto activation = [&](size_t i) { return !g.tensors[op.inputs[i]].is_constant; };
  return std::visit(
      [&](const auto& a) -> bool {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ir::ConvAttrs> || std::is_same_v<T, ir::DenseAttrs>) {
          const ir::Tensor& w = g.tensors[op.inputs[1]];
          if (const auto* pq = std::get_if<ir::PqEncoding>(&w.encoding))
            return integer_codebook(codebooks.at(static_cast<size_t>(pq->codebook)));
          return true;
        } else if constexpr (std::is_same_v<T, ir::PoolAttrs> ||
                             std::is_same_v<T, ir::GlobalPoolAttrs>) {
          return a.kind != ir::PoolKind::kSum;
        } else if constexpr (std::is_same_v<T, ir::BinaryAttrs>) {
          const int64_t n = ir::element_count(g.tensors[op.outputs[0]].dims);
          return a.kind == ir::BinaryKind::kAdd && activation(0) && activation(1) &&
                 ir::element_count(g.tensors[op.inputs[0]].dims) == n &&
                 ir::element_count(g.tensors[op.inputs[1]].dims) == n;
        } else {
          return std::is_same_v<T, ir::UnaryAttrs> || std::is_same_v<T, ir::ReshapeAttrs> ||
                 std::is_same_v<T, ir::AxisGatherAttrs>;
        }
      },
      op.attrs);
}

// Ops whose int8 output keeps the input's quantization.
bool keeps_quantization(const ir::Op& op) {
  return std::holds_alternative<ir::PoolAttrs>(op.attrs) ||
         std::holds_alternative<ir::GlobalPoolAttrs>(op.attrs) ||
         std::holds_alternative<ir::ReshapeAttrs>(op.attrs) ||
         std::holds_alternative<ir::AxisGatherAttrs>(op.attrs);
}

class Rewriter {
 public:
  Rewriter(const ir::Graph& g, const std::vector<TensorRange>& ranges,
           const std::vector<ir::Codebook>& codebooks)
      : g_(g), ranges_(ranges), codebooks_(codebooks), out_(g) {
    out_.ops.clear();
    i8_of_.assign(g.tensors.size(), -1);
    f32_of_.assign(g.tensors.size(), -1);
    for (int t : g.inputs) f32_of_[t] = t;
  }

  ir::Graph run(QuantizeSummary* summary) {
    std::vector<char> is_output(g_.tensors.size(), 0);
    for (int t : g_.outputs) is_output[t] = 1;
    for (const ir::Op& op : g_.ops) {
      if (runs_int8(g_, op, codebooks_)) {
        int8_op(op, is_output[op.outputs[0]] != 0);
        ++summary_.int8_ops;
      } else {
        float_op(op);
        summary_.float_ops.push_back(op.name + " (" + ir::op_type_name(op) + ")");
      }
    }
    for (int t : g_.outputs)
      if (f32_of_[t] != t)
        throw Error("model '" + g_.name + "': output '" + g_.tensors[t].name +
                    "' is not computed in f32");
    if (summary != nullptr) *summary = summary_;
    return std::move(out_);
  }

 private:
  const ir::QuantParams& quant(int i8_tensor) const { return *out_.tensors[i8_tensor].quant; }

  ir::QuantParams calibrated(int t) const {
    const TensorRange& r = ranges_.at(static_cast<size_t>(t));
    return r.seen() ? quant_for_range(r.min, r.max) : quant_for_range(0.0f, 0.0f);
  }

  void push_convert(int from, int to, const std::string& name) {
    ir::Op op;
    op.name = name;
    op.attrs = ir::ConvertAttrs{};
    op.inputs = {from};
    op.outputs = {to};
    out_.ops.push_back(std::move(op));
    ++summary_.converts;
  }

  int add_convert(int from, ir::Tensor to, const std::string& name) {
    const int index = out_.add_tensor(std::move(to));
    push_convert(from, index, name);
    return index;
  }

  // The int8 tensor holding t's value, quantizing t's f32 one on first use.
  int int8_value(int t) {
    if (i8_of_[t] >= 0) return i8_of_[t];
    ir::Tensor q = g_.tensors[t];
    q.name += "/int8";
    q.quant = calibrated(t);
    i8_of_[t] = add_convert(f32_of_[t], std::move(q), g_.tensors[t].name + "/quantize");
    return i8_of_[t];
  }

  // The f32 tensor holding t's value, dequantizing its int8 one on first use.
  int f32_value(int t) {
    if (f32_of_[t] >= 0) return f32_of_[t];
    ir::Tensor f = g_.tensors[t];
    f.name += "/f32";
    f.quant.reset();
    f32_of_[t] = add_convert(i8_of_[t], std::move(f), g_.tensors[t].name + "/dequantize");
    return f32_of_[t];
  }

  int add_ints(const std::string& name, ir::IntDType dtype, std::vector<int32_t> values) {
    ir::Tensor t;
    t.name = name;
    t.dims = {static_cast<int64_t>(values.size())};
    t.is_constant = true;
    t.int_dtype = dtype;
    t.ints = std::move(values);
    return out_.add_tensor(std::move(t));
  }

  void float_op(const ir::Op& op) {
    ir::Op f = op;
    for (int& t : f.inputs)
      if (!g_.tensors[t].is_constant) t = f32_value(t);
    f32_of_[op.outputs[0]] = op.outputs[0];
    out_.ops.push_back(std::move(f));
  }

  void int8_op(const ir::Op& op, bool graph_output) {
    ir::Op q = op;
    for (size_t i = 0; i < q.inputs.size(); ++i)
      if (!g_.tensors[q.inputs[i]].is_constant) q.inputs[i] = int8_value(op.inputs[i]);
    const int out = op.outputs[0];
    // A graph output keeps its name and f32 type: the op writes an int8 twin.
    int out8 = out;
    if (graph_output) {
      ir::Tensor twin = g_.tensors[out];
      twin.name += "/int8";
      out8 = out_.add_tensor(std::move(twin));
    }
    out_.tensors[out8].quant = keeps_quantization(op) ? quant(q.inputs[0]) : calibrated(out);
    q.outputs = {out8};
    i8_of_[out] = out8;
    try {
      std::visit([&](auto& a) { int8_constants(q, op, a); }, q.attrs);
    } catch (const Error& e) {
      throw Error("model '" + g_.name + "', op '" + op.name + "': " + e.what());
    }
    out_.ops.push_back(std::move(q));
    if (graph_output) {
      push_convert(out8, out, g_.tensors[out].name + "/dequantize");
      f32_of_[out] = out;
    }
  }

  // Per-op constants of the int8 version; `orig` is the f32 op.
  template <typename A>
  void int8_constants(ir::Op&, const ir::Op&, A&) {}

  void int8_constants(ir::Op& op, const ir::Op&, ir::ConvAttrs& a) { weighted(op, &a.act); }
  void int8_constants(ir::Op& op, const ir::Op&, ir::DenseAttrs& a) { weighted(op, &a.act); }

  // x, w[, b] -> x, w, bias (int32), requantization (int32 pairs).
  void weighted(ir::Op& op, ir::Activation* act) {
    const ir::QuantParams in_q = quant(op.inputs[0]);
    const ir::QuantParams out_q = quant(op.outputs[0]);
    ir::Tensor& w = out_.tensors[op.inputs[1]];
    const int64_t rows = w.dims.empty() ? 1 : w.dims[0];
    const int64_t row_length = static_cast<int64_t>(w.data.size()) / rows;
    std::vector<double> w_scale(static_cast<size_t>(rows));
    if (const auto* pq = std::get_if<ir::PqEncoding>(&w.encoding)) {
      const float vs = codebooks_[static_cast<size_t>(pq->codebook)].value_scale;
      for (int64_t o = 0; o < rows; ++o) w_scale[o] = double{pq->scales[o]} * vs;
    } else {
      if (std::holds_alternative<std::monostate>(w.encoding)) w.encoding = int8_rows(w, row_length);
      const auto& i8 = std::get<ir::Int8Encoding>(w.encoding);
      for (int64_t o = 0; o < rows; ++o) w_scale[o] = i8.scales[o];
    }
    std::vector<int32_t> bias(static_cast<size_t>(rows), 0);
    std::vector<int32_t> requant;
    const ir::Tensor* b = op.inputs.size() >= 3 ? &g_.tensors[op.inputs[2]] : nullptr;
    for (int64_t o = 0; o < rows; ++o) {
      const double acc_scale = double{in_q.scale} * w_scale[o];
      if (b != nullptr && acc_scale != 0.0) {
        const double v = std::round(b->data[o] / acc_scale);
        bias[o] = static_cast<int32_t>(std::clamp(v, -1073741824.0, 1073741823.0));
      }
      const RequantEntry r = requant_for(acc_scale / out_q.scale);
      requant.push_back(r.multiplier);
      requant.push_back(r.shift);
    }
    op.inputs.resize(2);
    op.inputs.push_back(add_ints(op.name + "/bias_i32", ir::IntDType::kI32, std::move(bias)));
    op.inputs.push_back(add_ints(op.name + "/requant", ir::IntDType::kI32, std::move(requant)));
    int8_clamp(*act, out_q, &act->min, &act->max);
  }

  // f32 weights as per-channel symmetric int8 (max |w| -> 127).
  static ir::Int8Encoding int8_rows(ir::Tensor& w, int64_t row_length) {
    ir::Int8Encoding e;
    const int64_t rows = static_cast<int64_t>(w.data.size()) / row_length;
    for (int64_t o = 0; o < rows; ++o) {
      float max_abs = 0.0f;
      for (int64_t j = 0; j < row_length; ++j)
        max_abs = std::max(max_abs, std::fabs(w.data[o * row_length + j]));
      const float scale = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
      e.scales.push_back(scale);
      for (int64_t j = 0; j < row_length; ++j) {
        float& v = w.data[o * row_length + j];
        const int8_t q = static_cast<int8_t>(std::clamp(std::round(v / scale), -127.0f, 127.0f));
        e.values.push_back(q);
        v = scale * static_cast<float>(q);  // what the runtime's f32 path would decode
      }
    }
    return e;
  }

  void int8_constants(ir::Op& op, const ir::Op& orig, ir::UnaryAttrs&) {
    // The float op's own kernel evaluates the function at all 256 inputs.
    const LoweredOp lowered = lower_op(g_, orig);
    UnaryParams p;
    std::memcpy(&p, lowered.params.data(), sizeof(p));
    p.count = 256;
    const ir::QuantParams in_q = quant(op.inputs[0]);
    const ir::QuantParams out_q = quant(op.outputs[0]);
    float x[256], y[256];
    for (int i = 0; i < 256; ++i) x[i] = dequantize(i - 128, in_q);
    unary_f32(p, x, y);
    std::vector<int32_t> table(256);
    for (int i = 0; i < 256; ++i) table[i] = quantize(y[i], out_q);
    op.inputs.push_back(add_ints(op.name + "/table", ir::IntDType::kI8, std::move(table)));
  }

  void int8_constants(ir::Op& op, const ir::Op&, ir::BinaryAttrs& a) {  // Add, TFLite's way
    constexpr int kLeftShift = 20;
    const double sa = quant(op.inputs[0]).scale, sb = quant(op.inputs[1]).scale;
    const ir::QuantParams out_q = quant(op.outputs[0]);
    const double twice_max = 2.0 * std::max(sa, sb);
    const RequantEntry ra = requant_for(sa / twice_max), rb = requant_for(sb / twice_max);
    const RequantEntry ro = requant_for(twice_max / (double(1 << kLeftShift) * out_q.scale));
    op.inputs.push_back(add_ints(
        op.name + "/requant", ir::IntDType::kI32,
        {kLeftShift, ra.multiplier, ra.shift, rb.multiplier, rb.shift, ro.multiplier, ro.shift}));
    int8_clamp(a.act, out_q, &a.act.min, &a.act.max);
  }

  const ir::Graph& g_;
  const std::vector<TensorRange>& ranges_;
  const std::vector<ir::Codebook>& codebooks_;
  ir::Graph out_;
  std::vector<int> i8_of_, f32_of_;  // per tensor of g_: the tensor of out_ holding its value
  QuantizeSummary summary_;
};

}  // namespace

ir::Graph quantize_graph(const ir::Graph& g, const std::vector<TensorRange>& ranges,
                         const std::vector<ir::Codebook>& codebooks, QuantizeSummary* summary) {
  if (ranges.size() != g.tensors.size())
    throw Error("model '" + g.name + "': calibration ranges do not match the graph");
  ir::Graph q = Rewriter(g, ranges, codebooks).run(summary);
  ir::infer_shapes(q);
  ir::validate(q);
  return q;
}

}  // namespace yono::quantize
