// Host-side model IR: the single representation importers produce, passes
// rewrite and the pack writer consumes. Batch size is always 1; layouts are
// ONNX's (NCHW / NCL), so constants need no transposition on export.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace yono::ir {

using Dims = std::vector<int64_t>;

int64_t element_count(const Dims& dims);    // throws yono::Error past int64
std::string dims_string(const Dims& dims);  // "[1,3,32,32]"

// How per-channel floats are stored: an encoding's scales, a bias's values.
// kF16 values are already rounded to binary16 (compress/encoders.h,
// store_scales_as / store_biases_as), so the IR computes with what the
// device reads.
enum class FloatDType { kF32, kF16 };
using ScaleDType = FloatDType;

// How a constant weight tensor is stored in the pack. Rows are output
// channels (dim 0); row_length is the product of the other dims.
struct Int8Encoding {  // w = scales[row] * values[row * row_length + j]
  std::vector<int8_t> values;
  std::vector<float> scales;
  ScaleDType scale_dtype = ScaleDType::kF32;
};

struct PqEncoding {             // w = scales[row] * codebook[codes[...]][lane]
  int codebook = -1;            // index into the pack's codebook list (Codebook below)
  std::vector<uint32_t> codes;  // rows * subvectors_per_row, row-major
  std::vector<float> scales;    // one per row
  ScaleDType scale_dtype = ScaleDType::kF32;
};

using Encoding = std::variant<std::monostate, Int8Encoding, PqEncoding>;

// Integer execution (compiler/src/quantize/): an int8 activation holds q
// with real value scale * (q - zero_point) (yono/requant.h).
struct QuantParams {
  float scale = 0.f;
  int32_t zero_point = 0;
};

// The integer constants of int8 ops (their `data` stays empty): int32
// biases and requantization tables, an int8 Unary's 256-entry table.
enum class IntDType { kNone, kI8, kI32 };

struct Tensor {
  std::string name;
  Dims dims;
  bool is_constant = false;
  // size == element_count(dims) for constants. For an encoded tensor these
  // are the *decoded* values, exactly what the runtime computes with, so the
  // float path on `data` is the reference for the encoded path.
  std::vector<float> data;
  Encoding encoding;  // monostate: stored as float32, or as `stored` says
  // Not encoded: kF16 stores `data` as binary16 (a Conv/Dense bias only,
  // the one place the runtime reads f16 constants).
  FloatDType stored = FloatDType::kF32;
  std::optional<QuantParams> quant;      // set: an int8 activation
  IntDType int_dtype = IntDType::kNone;  // not kNone: an integer constant in `ints`
  std::vector<int32_t> ints;
};

// Bytes one element of an activation takes in the arena: 1 for int8, else 4.
inline int64_t arena_element_bytes(const Tensor& t) {
  return t.quant.has_value() ? 1 : 4;
}

enum class CodebookDType { kF32, kF16, kI8, kI16 };

// A pack-level codebook, shared by any layers of any models that reference
// it. centroids holds the values as stored (already rounded to dtype).
struct Codebook {
  std::string name;  // e.g. "shared/kxk"; shown by inspect
  uint32_t dim = 0;
  uint32_t codeword_count = 0;
  CodebookDType dtype = CodebookDType::kF32;
  std::vector<float> centroids;  // codeword_count * dim
  // kI16 (and kI8 when set): every centroid is an integer times this.
  float value_scale = 0.f;
};

constexpr float kNoMin = -std::numeric_limits<float>::max();
constexpr float kNoMax = std::numeric_limits<float>::max();

// A clamp fused into the producing op (ReLU, ReLU6, Clip).
struct Activation {
  float min = kNoMin;
  float max = kNoMax;
  bool is_identity() const { return min == kNoMin && max == kNoMax; }
};

// Spatial attributes are 2-D; a 1-D op uses the W axis and leaves H as 1/0.
struct ConvAttrs {
  int64_t kh = 1, kw = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int64_t groups = 1;
  Activation act;
};  // inputs: x, w (OIHW or OIL), optional b

struct DenseAttrs {
  Activation act;
};  // inputs: x (any shape, flattened), w [out][in], optional b

enum class PoolKind { kMax, kAverage, kSum };  // kSum: GlobalPool only (ReduceSum)

struct PoolAttrs {
  PoolKind kind = PoolKind::kMax;
  int64_t kh = 1, kw = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  bool ceil_mode = false;
  bool count_include_pad = false;
};

struct GlobalPoolAttrs {
  PoolKind kind = PoolKind::kAverage;
  bool keepdims = true;  // false: output [1, C]
};

enum class UnaryKind { kRelu, kLeakyRelu, kClip, kSigmoid, kTanh, kHardSigmoid, kHardSwish };

struct UnaryAttrs {
  UnaryKind kind = UnaryKind::kRelu;
  float alpha = 0.f, beta = 0.f;  // see yono::UnaryKind for the meaning per kind
};

enum class BinaryKind { kAdd, kSub, kMul, kDiv, kPRelu };  // kPRelu: a >= 0 ? a : a * b

struct BinaryAttrs {
  BinaryKind kind = BinaryKind::kAdd;
  Activation act;
};  // inputs: a, b; same shape, per-channel or scalar broadcast of one side

struct ChannelAffineAttrs {
  Activation act;
};  // inputs: x, scale [C], shift [C] (a BatchNorm that could not be folded)

struct ConcatAttrs {
  int64_t axis = 1;  // normalised to be non-negative
};

struct SoftmaxAttrs {
  int64_t axis = -1;  // normalised to be non-negative by shape inference
  bool log = false;   // LogSoftmax
};

struct PadAttrs {  // constant padding of the spatial dims only
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  float value = 0.f;
};

struct ReshapeAttrs {
  Dims dims;  // target shape, fully resolved (no 0 or -1)
};

// Pure data movement (yono::AxisGatherParams): iterating `view` in row-major
// order, output element i0..ir-1 is input element offsets[0][i0] + ... +
// offsets[r-1][ir-1] (flat, row-major). The output tensor is `dims`, which
// has view's element count. `source` names what it came from (Transpose,
// Slice, Gather, ...) for inspect and errors.
struct AxisGatherAttrs {
  Dims dims;
  Dims view;
  std::vector<std::vector<int64_t>> offsets;  // offsets[k].size() == view[k]
  std::string source;
};

// Between an f32 and an int8 activation (by the int8 one's QuantParams):
// the borders of a model's int8 region.
struct ConvertAttrs {};

using Attrs = std::variant<ConvAttrs, DenseAttrs, PoolAttrs, GlobalPoolAttrs, UnaryAttrs,
                           BinaryAttrs, ChannelAffineAttrs, ConcatAttrs, SoftmaxAttrs, PadAttrs,
                           ReshapeAttrs, AxisGatherAttrs, ConvertAttrs>;

struct Op {
  std::string name;  // for error messages and inspect
  Attrs attrs;
  std::vector<int> inputs;   // tensor indices
  std::vector<int> outputs;  // tensor indices (exactly one in v1)
};

const char* op_type_name(const Op& op);  // "Conv", "Dense", ...

// An input whose layout the importer changed (a Transpose folded into it):
// the pack's input dims[k] are the model's own input dims[perm[k]].
struct InputLayout {
  std::string input;  // the input tensor's name
  std::vector<int64_t> perm;
};

struct Graph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<Op> ops;  // topologically ordered
  std::vector<int> inputs;
  std::vector<int> outputs;
  // What each index of the first output means (the data's class folders),
  // when known; carried through ONNX as metadata "yono.classes".
  std::vector<std::string> class_names;
  std::vector<InputLayout> input_layouts;  // carried into the pack's InputLayouts section

  int add_tensor(Tensor t);                        // returns its index
  int find_tensor(const std::string& name) const;  // -1 if absent
};

// Values of every constant tensor (weights, biases, folded affines).
int64_t parameter_count(const Graph& g);

// Computes dims of every op output from its inputs and attributes, checking
// that inputs are compatible. Throws yono::Error naming the op on mismatch.
void infer_shapes(Graph& g);

// Structural checks: indices in range, topological order, every activation
// produced exactly once, constants only where an op accepts them.
void validate(const Graph& g);

}  // namespace yono::ir
