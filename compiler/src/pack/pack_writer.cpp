// Lays out the sections of docs/pack-format.md. Everything is appended in a
// fixed order (models in argument order, tensors in IR order), so the same
// graphs always give the same bytes.
#include "yono/compiler/pack/pack_writer.h"

#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <variant>

#include "codebook_payload.h"
#include "lower_ops.h"
#include "model_writer.h"
#include "pack_sections.h"
#include "yono/bitpack.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack/arena_plan.h"
#include "yono/compiler/pack/bitpack_writer.h"
#include "yono/compiler/pack/pack_input_layouts.h"
#include "yono/compiler/pack/pack_labels.h"
#include "yono/format.h"

namespace yono {
namespace {

using pack_sections::append;
using pack_sections::checked_u32;
using pack_sections::pad_to;
using pack_sections::Sections;

// Tensor names are informational, so overlong ones are cut (on a UTF-8
// character boundary) rather than rejected.
std::string clip_name(const std::string& s) {
  if (s.size() <= kMaxNameLength) return s;
  size_t n = kMaxNameLength;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// Appends a payload to Weights at the next kPayloadAlign boundary.
uint32_t append_payload(Sections& s, const void* data, size_t size) {
  pad_to(s.weights, pack_sections::kPayloadAlign);
  const uint32_t at = checked_u32(s.weights.size(), "weights section");
  const auto* p = static_cast<const uint8_t*>(data);
  s.weights.insert(s.weights.end(), p, p + size);
  checked_u32(s.weights.size(), "weights section");
  return at;
}

void add_codebooks(Sections& s, const std::vector<ir::Codebook>& codebooks) {
  for (const ir::Codebook& c : codebooks) {
    const CodebookPayload payload = encode_codebook(c);
    CodebookRecord r{};
    r.codeword_count = c.codeword_count;
    r.dim = c.dim;
    r.dtype = payload.dtype;
    r.data_offset = append_payload(s, payload.bytes.data(), payload.bytes.size());
    r.data_size = static_cast<uint32_t>(payload.bytes.size());
    r.value_scale = payload.value_scale;
    r.name = s.strings.intern(clip_name(c.name));
    append(s.codebooks, r);
  }
}

bool is_encoded(const ir::Tensor& t) {
  return !std::holds_alternative<std::monostate>(t.encoding);
}

bool stored_as_f16(const ir::Tensor& t) {
  return !is_encoded(t) && t.stored == ir::FloatDType::kF16;
}

bool is_integer_constant(const ir::Tensor& t) {
  return t.int_dtype != ir::IntDType::kNone;
}

// Needs the v2 format: encoded weights, f16 values, int8 execution.
bool needs_v2(const ir::Tensor& t) {
  return is_encoded(t) || stored_as_f16(t) || is_integer_constant(t) || t.quant.has_value();
}

DType tensor_dtype(const ir::Tensor& t) {
  if (std::holds_alternative<ir::PqEncoding>(t.encoding)) return DType::kPq;
  if (std::holds_alternative<ir::Int8Encoding>(t.encoding)) return DType::kI8PerChannel;
  if (stored_as_f16(t)) return DType::kF16;
  if (t.quant.has_value() || t.int_dtype == ir::IntDType::kI8) return DType::kI8;
  if (t.int_dtype == ir::IntDType::kI32) return DType::kI32;
  return DType::kF32;
}

// The binary16 bits of values the compressor already rounded (f16 scales and
// biases); `where` + `what` name the value in the error for one that is not.
std::vector<uint16_t> exact_halves(const std::vector<float>& values, const std::string& where,
                                   const char* what) {
  std::vector<uint16_t> halves(values.size());
  for (size_t i = 0; i < halves.size(); ++i) {
    try {
      halves[i] = exact_half_bits(values[i]);
    } catch (const Error& e) {
      throw Error(where + what + ": " + e.what());
    }
  }
  return halves;
}

// Stores an encoded constant's codes or int8 values and its scales, and
// returns the index of its CodeBlockRecord (what TensorRecord.offset holds).
uint32_t add_code_block(Sections& s, const ir::Graph& g, const ir::Tensor& t,
                        const std::vector<ir::Codebook>& codebooks) {
  const std::string where = "model '" + g.name + "', tensor '" + t.name + "': ";
  if (t.dims.empty()) throw Error(where + "an encoded tensor needs an output-channel axis");
  const uint64_t rows = static_cast<uint64_t>(t.dims[0]);
  const uint64_t row_length = t.data.size() / rows;
  CodeBlockRecord r{};
  r.rows = static_cast<uint32_t>(rows);
  r.row_length = static_cast<uint32_t>(row_length);
  const std::vector<float>* scales = nullptr;
  ir::ScaleDType scale_dtype = ir::ScaleDType::kF32;
  if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
    if (pq->codebook < 0 || static_cast<size_t>(pq->codebook) >= codebooks.size()) {
      throw Error(where + "references codebook " + std::to_string(pq->codebook) + " of " +
                  std::to_string(codebooks.size()));
    }
    const ir::Codebook& cb = codebooks[static_cast<size_t>(pq->codebook)];
    const uint64_t subvectors = (row_length + cb.dim - 1) / cb.dim;
    if (pq->codes.size() != rows * subvectors) {
      throw Error(where + "holds " + std::to_string(pq->codes.size()) + " codes, expected " +
                  std::to_string(rows * subvectors));
    }
    for (uint32_t code : pq->codes)
      if (code >= cb.codeword_count) {
        throw Error(where + "code " + std::to_string(code) + " is not below K = " +
                    std::to_string(cb.codeword_count) + " of codebook '" + cb.name + "'");
      }
    r.codebook = static_cast<uint32_t>(pq->codebook);
    r.subvectors_per_row = static_cast<uint32_t>(subvectors);
    r.code_bits = code_bits_for(cb.codeword_count);
    const std::vector<uint8_t> packed = bitpack_codes(pq->codes, r.code_bits);
    r.data_offset = append_payload(s, packed.data(), packed.size());
    r.data_size = static_cast<uint32_t>(packed.size());
    scales = &pq->scales;
    scale_dtype = pq->scale_dtype;
  } else {
    const auto& i8 = std::get<ir::Int8Encoding>(t.encoding);
    if (i8.values.size() != t.data.size()) {
      throw Error(where + "holds " + std::to_string(i8.values.size()) + " int8 values, expected " +
                  std::to_string(t.data.size()));
    }
    r.codebook = 0xFFFFFFFFu;
    r.code_bits = 8;
    r.data_offset = append_payload(s, i8.values.data(), i8.values.size());
    r.data_size = static_cast<uint32_t>(i8.values.size());
    scales = &i8.scales;
    scale_dtype = i8.scale_dtype;
  }
  if (scales->size() != rows) {
    throw Error(where + "holds " + std::to_string(scales->size()) + " scales, expected one per " +
                "output channel (" + std::to_string(rows) + ")");
  }
  if (scale_dtype == ir::ScaleDType::kF16) {
    const std::vector<uint16_t> halves = exact_halves(*scales, where, "f16 scale");
    r.scale_dtype = static_cast<uint16_t>(ScaleDType::kF16);
    r.scales_offset = append_payload(s, halves.data(), halves.size() * sizeof(uint16_t));
  } else {
    r.scale_dtype = static_cast<uint16_t>(ScaleDType::kF32);
    r.scales_offset = append_payload(s, scales->data(), scales->size() * sizeof(float));
  }
  const uint32_t index = static_cast<uint32_t>(s.code_blocks.size() / sizeof(CodeBlockRecord));
  append(s.code_blocks, r);
  return index;
}

void check_graph(const ir::Graph& g) {
  const std::string where = "model '" + g.name + "': ";
  const int n = static_cast<int>(g.tensors.size());
  auto check = [&](int t, const std::string& role) {
    if (t < 0 || t >= n) throw Error(where + role + " tensor index out of range");
    if (g.tensors[t].is_constant) {
      throw Error(where + role + " '" + g.tensors[t].name + "' must not be a constant");
    }
  };
  if (g.ops.empty()) throw Error(where + "has no ops");
  if (g.inputs.empty() || g.outputs.empty()) throw Error(where + "needs inputs and outputs");
  for (int t : g.inputs) check(t, "graph input");
  for (int t : g.outputs) check(t, "graph output");
  for (const ir::Op& op : g.ops) {
    if (op.outputs.size() != 1) throw Error(where + "op '" + op.name + "' needs one output");
    check(op.outputs[0], "output of op '" + op.name + "'");
    for (int t : op.inputs)
      if (t < 0 || t >= n) throw Error(where + "op '" + op.name + "' input index out of range");
    // The runtime reads f16 constants as Conv/Dense biases only.
    const bool weighted = std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
                          std::holds_alternative<ir::DenseAttrs>(op.attrs);
    for (size_t i = 0; i < op.inputs.size(); ++i)
      if (stored_as_f16(g.tensors[static_cast<size_t>(op.inputs[i])]) && !(weighted && i == 2)) {
        throw Error(where + "op '" + op.name + "' input " + std::to_string(i) + " '" +
                    g.tensors[static_cast<size_t>(op.inputs[i])].name +
                    "' is f16; only a Conv or Dense bias can be");
      }
  }
}

TensorRecord tensor_record(const ir::Graph& g, const ir::Tensor& t, uint32_t name) {
  const std::string where = "model '" + g.name + "', tensor '" + t.name + "': ";
  if (t.dims.size() > kMaxRank) throw Error(where + "rank above " + std::to_string(kMaxRank));
  if (is_encoded(t) && !t.is_constant) throw Error(where + "only constants can be encoded");
  TensorRecord r{};
  r.name = name;
  r.kind = static_cast<uint8_t>(t.is_constant ? TensorKind::kConstant : TensorKind::kActivation);
  const bool half = stored_as_f16(t);
  if (half && !t.is_constant) throw Error(where + "only constants can be stored as f16");
  const bool integer = is_integer_constant(t);
  if (integer && (!t.is_constant || is_encoded(t) || half)) {
    throw Error(where + "only plain constants hold integers");
  }
  if (t.quant.has_value()) {
    if (t.is_constant) throw Error(where + "only activations are quantized");
    const ir::QuantParams& q = *t.quant;
    if (!(q.scale > 0.0f) || !std::isfinite(q.scale) || q.zero_point < -128 || q.zero_point > 127) {
      throw Error(where + "bad int8 quantization (scale " + std::to_string(q.scale) +
                  ", zero point " + std::to_string(q.zero_point) + ")");
    }
    r.quant_scale = q.scale;
    r.quant_zero_point = q.zero_point;
  }
  r.dtype = static_cast<uint8_t>(tensor_dtype(t));
  r.rank = static_cast<uint8_t>(t.dims.size());
  uint64_t count = 1;
  for (size_t d = 0; d < t.dims.size(); ++d) {
    if (t.dims[d] <= 0 || t.dims[d] > (int64_t{1} << 30)) {
      throw Error(where + "bad dims " + ir::dims_string(t.dims));
    }
    r.dims[d] = static_cast<uint32_t>(t.dims[d]);
    count *= static_cast<uint64_t>(t.dims[d]);
    if (count > (uint64_t{1} << 30)) throw Error(where + "too many elements");
  }
  const size_t held = integer ? t.ints.size() : t.data.size();
  if (t.is_constant && held != count) {
    throw Error(where + "holds " + std::to_string(held) + " values, dims say " +
                std::to_string(count));
  }
  r.size = static_cast<uint32_t>(count * element_bytes(r.dtype));
  return r;
}

}  // namespace

void append_model(Sections& s, const ir::Graph& g, const std::vector<ir::Codebook>& codebooks,
                  const PackWriteOptions& options) {
  check_graph(g);
  const int n = static_cast<int>(g.tensors.size());

  std::vector<int> local(n, -1);
  std::vector<char> used(n, 0);
  std::vector<char> interface(n, 0);
  for (int t : stored_tensors(g)) used[t] = 1;
  for (int t : g.inputs) interface[t] = 1;
  for (int t : g.outputs) interface[t] = 1;
  std::vector<LoweredOp> lowered;
  for (const ir::Op& op : g.ops) lowered.push_back(lower_op(g, op));
  const ArenaPlan plan = plan_arena(
      g, codebooks, options.distinct_activations ? ArenaReuse::kNone : ArenaReuse::kReuse);

  ModelRecord m{};
  m.name = s.strings.intern(g.name);
  m.first_tensor = static_cast<uint32_t>(s.tensors.size() / sizeof(TensorRecord));
  m.first_op = static_cast<uint32_t>(s.ops.size() / sizeof(OpRecord));
  m.arena_size = checked_u32(static_cast<uint64_t>(plan.arena_size), "arena of '" + g.name + "'");
  m.scratch_size = static_cast<uint32_t>(plan.scratch_size);

  uint32_t count = 0;
  for (int t = 0; t < n; ++t) {
    if (!used[t]) continue;
    local[t] = static_cast<int>(count++);
    const ir::Tensor& tensor = g.tensors[t];
    const bool named = options.keep_names || interface[t];
    TensorRecord r =
        tensor_record(g, tensor, s.strings.intern(named ? clip_name(tensor.name) : ""));
    if (is_encoded(tensor)) {
      r.offset = add_code_block(s, g, tensor, codebooks);
    } else if (stored_as_f16(tensor)) {
      const std::vector<uint16_t> halves = exact_halves(
          tensor.data, "model '" + g.name + "', tensor '" + tensor.name + "': ", "f16 value");
      r.offset = append_payload(s, halves.data(), halves.size() * sizeof(uint16_t));
    } else if (tensor.int_dtype == ir::IntDType::kI32) {
      r.offset = append_payload(s, tensor.ints.data(), tensor.ints.size() * sizeof(int32_t));
    } else if (tensor.int_dtype == ir::IntDType::kI8) {
      std::vector<int8_t> bytes(tensor.ints.size());
      for (size_t i = 0; i < bytes.size(); ++i) {
        if (tensor.ints[i] < -128 || tensor.ints[i] > 127)
          throw Error("model '" + g.name + "', tensor '" + tensor.name + "': value out of int8");
        bytes[i] = static_cast<int8_t>(tensor.ints[i]);
      }
      r.offset = append_payload(s, bytes.data(), bytes.size());
    } else if (tensor.is_constant) {
      r.offset = append_payload(s, tensor.data.data(), tensor.data.size() * sizeof(float));
    } else {
      r.offset = static_cast<uint32_t>(plan.offsets[t]);
    }
    append(s.tensors, r);
  }
  m.tensor_count = count;

  auto push_io = [&](int t) { append(s.op_io, static_cast<uint32_t>(local[t])); };
  m.io_first = static_cast<uint32_t>(s.op_io.size() / 4);
  m.input_count = static_cast<uint32_t>(g.inputs.size());
  m.output_count = static_cast<uint32_t>(g.outputs.size());
  for (int t : g.inputs) push_io(t);
  for (int t : g.outputs) push_io(t);

  for (size_t i = 0; i < g.ops.size(); ++i) {
    OpRecord r{};
    r.type = static_cast<uint16_t>(lowered[i].type);
    r.input_count = static_cast<uint8_t>(g.ops[i].inputs.size());
    r.output_count = 1;
    r.io_first = static_cast<uint32_t>(s.op_io.size() / 4);
    for (int t : g.ops[i].inputs) push_io(t);
    push_io(g.ops[i].outputs[0]);
    pad_to(s.params, 4);
    r.param_offset = checked_u32(s.params.size(), "params section");
    r.param_size = static_cast<uint32_t>(lowered[i].params.size());
    s.params.insert(s.params.end(), lowered[i].params.begin(), lowered[i].params.end());
    append(s.ops, r);
  }
  m.op_count = static_cast<uint32_t>(g.ops.size());
  append(s.models, m);
}

std::vector<int> stored_tensors(const ir::Graph& g) {
  // Only tensors some op or the graph interface uses are stored.
  std::vector<char> used(g.tensors.size(), 0);
  for (int t : g.inputs) used[t] = 1;
  for (int t : g.outputs) used[t] = 1;
  for (const ir::Op& op : g.ops) {
    for (int t : op.inputs) used[t] = 1;
    used[op.outputs[0]] = 1;
  }
  std::vector<int> stored;
  for (size_t t = 0; t < used.size(); ++t)
    if (used[t]) stored.push_back(static_cast<int>(t));
  return stored;
}

void check_model_names(const std::vector<ir::Graph>& models, std::set<std::string> taken) {
  for (const ir::Graph& g : models) {
    if (g.name.empty() || g.name.size() > kMaxNameLength) {
      throw Error("model name '" + g.name + "' must be 1.." + std::to_string(kMaxNameLength) +
                  " bytes");
    }
    if (!taken.insert(g.name).second) throw Error("duplicate model name '" + g.name + "'");
  }
}

std::vector<uint8_t> write_pack(const std::vector<ir::Graph>& models,
                                const std::vector<ir::Codebook>& codebooks,
                                const PackWriteOptions& options) {
  if (models.empty()) throw Error("a pack needs at least one model");
  check_model_names(models, {});

  // Float32-only packs stay version 1, byte for byte what a v1 writer made.
  bool v2 = !codebooks.empty();
  for (const ir::Graph& g : models)
    for (const ir::Tensor& t : g.tensors) v2 = v2 || needs_v2(t);

  Sections s;
  // Codebooks first: they are shared, so no model owns their payloads.
  if (v2) add_codebooks(s, codebooks);
  for (const ir::Graph& g : models) append_model(s, g, codebooks, options);
  s.labels = encode_labels(labels_of(models));
  s.input_layouts = encode_input_layouts(input_layouts_of(models));

  return pack_sections::assemble(s, v2, static_cast<uint32_t>(models.size()));
}

}  // namespace yono
