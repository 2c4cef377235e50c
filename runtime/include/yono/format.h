// On-disk layout of a yono pack (docs/pack-format.md is the normative spec).
// Shared by the host writer and the on-device reader, so both always agree.
// All fields are little-endian; every struct is plain old data with explicit
// padding so its size is the same on x86-64 and Cortex-M.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace yono {

constexpr uint32_t kPackMagic = 0x4F4E4F59u;  // "YONO" read as little-endian u32
constexpr uint16_t kPackVersion = 1;
constexpr uint32_t kSectionAlign = 16;  // every section offset; also arena tensor offsets
constexpr uint32_t kMaxRank = 6;
constexpr uint32_t kMaxOpInputs = 64;      // Concat is the only op with many inputs
constexpr uint32_t kMaxNameLength = 255;   // bytes, excluding the terminating NUL

enum class SectionType : uint32_t {
  kStrings = 1,  // NUL-terminated UTF-8 names, referenced by byte offset
  kModels = 2,   // ModelRecord[model_count]
  kTensors = 3,  // TensorRecord[], models own contiguous ranges
  kOps = 4,      // OpRecord[], models own contiguous ranges
  kOpIo = 5,     // uint32_t[] model-local tensor indices: op inputs then outputs
  kParams = 6,   // op parameter structs, each 4-byte aligned
  kWeights = 7,  // constant tensor payloads, each 16-byte aligned
  // Reserved for format v2 (shared-codebook quantization): kCodebooks = 16,
  // kCodeBlocks = 17, kScales = 18.
};

struct PackHeader {  // 32 bytes, at offset 0
  uint32_t magic;
  uint16_t version;
  uint16_t flags;          // 0 in v1
  uint32_t file_size;      // total pack bytes; the reader rejects a shorter buffer
  uint32_t section_count;  // SectionEntry[section_count] follows the header
  uint32_t model_count;
  uint32_t header_crc;     // CRC32 of header (this field as 0) + section table
  uint32_t reserved[2];
};
static_assert(sizeof(PackHeader) == 32, "PackHeader layout");

struct SectionEntry {  // 16 bytes
  uint32_t type;    // SectionType
  uint32_t offset;  // from pack start, multiple of kSectionAlign
  uint32_t size;    // bytes
  uint32_t crc32;   // CRC32 (IEEE 802.3) of the section bytes
};
static_assert(sizeof(SectionEntry) == 16, "SectionEntry layout");

struct ModelRecord {  // 64 bytes
  uint32_t name;  // offset in the string section
  uint32_t first_tensor;
  uint32_t tensor_count;
  uint32_t first_op;
  uint32_t op_count;
  uint32_t io_first;  // index into kOpIo: input tensor indices, then output ones
  uint32_t input_count;
  uint32_t output_count;
  uint32_t arena_size;    // bytes, planned offline; Session needs at least this
  uint32_t scratch_size;  // bytes inside arena_size reserved for kernels (0 in v1)
  uint32_t reserved[6];
};
static_assert(sizeof(ModelRecord) == 64, "ModelRecord layout");

enum class TensorKind : uint8_t { kActivation = 0, kConstant = 1 };
enum class DType : uint8_t { kF32 = 1 };

struct TensorRecord {  // 48 bytes
  uint32_t name;  // offset in the string section
  uint8_t kind;   // TensorKind
  uint8_t dtype;  // DType
  uint8_t rank;   // 0..kMaxRank; batch dimension included (always 1)
  uint8_t reserved0;
  uint32_t dims[kMaxRank];  // unused dims are 0
  uint32_t offset;  // activation: byte offset in the arena; constant: in kWeights
  uint32_t size;    // bytes = product(dims) * sizeof(dtype)
  uint32_t reserved1[2];
};
static_assert(sizeof(TensorRecord) == 48, "TensorRecord layout");

enum class OpType : uint16_t {
  kConv = 1,           // in: x, w[, b]; ConvParams; 1-D conv has in_h = kh = 1
  kDense = 2,          // in: x, w[out][in][, b]; DenseParams
  kPool = 3,           // in: x; PoolParams
  kGlobalPool = 4,     // in: x; GlobalPoolParams
  kUnary = 5,          // in: x; UnaryParams
  kBinary = 6,         // in: a, b; BinaryParams
  kChannelAffine = 7,  // in: x, scale[c], shift[c]; ChannelAffineParams (unfolded BN)
  kConcat = 8,         // in: x0..xn; ConcatParams
  kSoftmax = 9,        // in: x; SoftmaxParams
  kPad = 10,           // in: x; PadParams
  kReshape = 11,       // in: x; no params; output aliases input when planned so
};
constexpr uint16_t kOpTypeCount = 12;  // one past the largest OpType value

struct OpRecord {  // 32 bytes
  uint16_t type;  // OpType
  uint8_t input_count;
  uint8_t output_count;  // always 1 in v1
  uint32_t io_first;      // index into kOpIo
  uint32_t param_offset;  // byte offset in kParams, 4-byte aligned
  uint32_t param_size;    // must equal sizeof(the op's params struct)
  uint32_t reserved[4];
};
static_assert(sizeof(OpRecord) == 32, "OpRecord layout");

// ---- Op parameters. Fused activations clamp to [act_min, act_max]; an op
// without a fused activation stores -FLT_MAX / FLT_MAX. ----

struct ConvParams {  // weights OIHW: [out_c][in_c / groups][kh][kw]
  uint32_t in_c, in_h, in_w;
  uint32_t out_c, out_h, out_w;
  uint32_t kh, kw;
  uint32_t stride_h, stride_w;
  uint32_t dilation_h, dilation_w;
  uint32_t pad_top, pad_left;  // bottom/right padding is implied by out_h/out_w
  uint32_t groups;
  uint32_t has_bias;
  float act_min, act_max;
};

struct DenseParams {
  uint32_t in_features, out_features;
  uint32_t has_bias;
  float act_min, act_max;
};

enum class PoolKind : uint32_t { kMax = 0, kAverage = 1 };

struct PoolParams {  // ceil_mode is resolved offline into out_h/out_w
  uint32_t kind;     // PoolKind
  uint32_t c, in_h, in_w;
  uint32_t out_h, out_w;
  uint32_t kh, kw;
  uint32_t stride_h, stride_w;
  uint32_t pad_top, pad_left;
  uint32_t count_include_pad;  // average only: divide by kh*kw instead of valid taps
};

struct GlobalPoolParams {
  uint32_t kind;  // PoolKind
  uint32_t c;
  uint32_t spatial;  // h * w (or length for 1-D)
};

enum class UnaryKind : uint32_t {
  kRelu = 0,
  kLeakyRelu = 1,    // alpha = slope
  kClip = 2,         // alpha = min, beta = max
  kSigmoid = 3,
  kTanh = 4,
  kHardSigmoid = 5,  // max(0, min(1, alpha * x + beta))
  kHardSwish = 6,    // x * max(0, min(1, x / 6 + 0.5))
};

struct UnaryParams {
  uint32_t kind;  // UnaryKind
  uint32_t count;
  float alpha, beta;
};

enum class BinaryKind : uint32_t { kAdd = 0, kSub = 1, kMul = 2 };
enum class Broadcast : uint32_t {
  kNone = 0,        // a and b both have `count` elements
  kBPerChannel = 1, // b has c elements, each applied to `inner` consecutive a's
  kBScalar = 2,     // b has 1 element
  kAPerChannel = 3, // a has c elements (b full); needed for non-commutative Sub
  kAScalar = 4,     // a has 1 element
};

struct BinaryParams {
  uint32_t kind;       // BinaryKind
  uint32_t broadcast;  // Broadcast
  uint32_t count;      // elements of the output
  uint32_t c, inner;   // count == c * inner for per-channel modes
  float act_min, act_max;
};

struct ChannelAffineParams {  // y = x * scale[ch] + shift[ch]
  uint32_t c, inner;
  float act_min, act_max;
};

struct ConcatParams {  // output = for each outer row, each input's chunk in order
  uint32_t outer;       // product of dims before the axis
  uint32_t inner;       // product of dims after the axis
};  // input i contributes dims[axis]_i * inner elements per outer row

struct SoftmaxParams {
  uint32_t outer, axis_len, inner;
};

struct PadParams {  // constant padding of the last two (spatial) dims only
  uint32_t c, in_h, in_w;
  uint32_t pad_top, pad_left, pad_bottom, pad_right;
  float value;
};

}  // namespace yono
