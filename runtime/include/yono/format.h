// On-disk layout of a yono pack (docs/pack-format.md is the normative spec).
// Shared by the host writer and the on-device reader, so both always agree.
// All fields are little-endian; every struct is plain old data with explicit
// padding so its size is the same on x86-64 and Cortex-M.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace yono {

constexpr uint32_t kPackMagic = 0x4F4E4F59u;  // "YONO" read as little-endian u32
constexpr uint16_t kPackVersion = 2;          // written when any tensor is encoded
constexpr uint16_t kPackVersionFloat = 1;     // float-only packs stay readable by v1 readers
// A pack grown by appending models (`yono add`): several segments, the
// section table where PackHeader::table_offset says. Written only then, so
// v2 readers refuse grown packs cleanly and every other pack is unchanged.
constexpr uint16_t kPackVersionGrown = 3;
constexpr uint32_t kMaxSegments = 8;       // bounds the Pack object; one per growth
constexpr uint32_t kMaxSectionCount = 64;  // bounds the reader's pairwise overlap check
constexpr uint32_t kSectionAlign = 16;     // every section offset; also arena tensor offsets
constexpr uint32_t kMaxRank = 6;
constexpr uint32_t kMaxOpInputs = 64;     // Concat is the only op with many inputs
constexpr uint32_t kMaxNameLength = 255;  // bytes, excluding the terminating NUL

enum class SectionType : uint32_t {
  kStrings = 1,  // NUL-terminated UTF-8 names, referenced by byte offset
  kModels = 2,   // ModelRecord[model_count]
  kTensors = 3,  // TensorRecord[], models own contiguous ranges
  kOps = 4,      // OpRecord[], models own contiguous ranges
  kOpIo = 5,     // uint32_t[] model-local tensor indices: op inputs then outputs
  kParams = 6,   // op parameter structs, each 4-byte aligned
  kWeights = 7,  // constant tensor payloads, each 16-byte aligned
  // v2 (shared-codebook quantization). Payloads (codeword values, codes,
  // int8 values, scales) live in kWeights; these sections only describe them.
  kCodebooks = 16,   // CodebookRecord[]: pack-level, shared by every model
  kCodeBlocks = 17,  // CodeBlockRecord[]: one per encoded constant tensor
  // 18 stays reserved (was planned for separate scale tables).
  // Host tools only (the runtime skips it like any extension section): each
  // labelled model's name, then its class names, each NUL-terminated, then
  // an empty string; so `yono run` can name the class it predicts.
  kLabels = 19,
  // Host tools only, like Labels: per model whose input had its Transpose
  // folded into it (a channels-last model), the input's name and the
  // permutation from the model's own layout to the pack's, so `yono run`
  // can take an array in the model's own layout.
  kInputLayouts = 20,
};

struct PackHeader {  // 32 bytes, at offset 0
  uint32_t magic;
  uint16_t version;
  uint16_t flags;          // 0 in v1
  uint32_t file_size;      // total pack bytes; the reader rejects a shorter buffer
  uint32_t section_count;  // SectionEntry[section_count] at table_offset
  uint32_t model_count;
  uint32_t header_crc;  // CRC32 of header (this field as 0) + section table
  // v3: byte offset of the section table, a multiple of kSectionAlign past
  // the header (a grown pack's new table goes after everything it kept);
  // v1/v2: 0, the table follows the header.
  uint32_t table_offset;
  uint32_t reserved;
};
static_assert(sizeof(PackHeader) == 32, "PackHeader layout");

// Where the section table starts: a grown (v3) pack says, v1/v2 have it
// right after the header.
constexpr uint32_t section_table_offset(const PackHeader& h) {
  return h.version == kPackVersionGrown ? h.table_offset
                                        : static_cast<uint32_t>(sizeof(PackHeader));
}

struct SectionEntry {  // 16 bytes
  uint32_t type;       // SectionType
  uint32_t offset;     // from pack start, multiple of kSectionAlign
  uint32_t size;       // bytes
  uint32_t crc32;      // CRC32 (IEEE 802.3) of the section bytes
};
static_assert(sizeof(SectionEntry) == 16, "SectionEntry layout");

struct ModelRecord {  // 64 bytes
  uint32_t name;      // offset in the string section
  uint32_t first_tensor;
  uint32_t tensor_count;
  uint32_t first_op;
  uint32_t op_count;
  uint32_t io_first;  // index into kOpIo: input tensor indices, then output ones
  uint32_t input_count;
  uint32_t output_count;
  uint32_t arena_size;    // bytes, planned offline; Session needs at least this
  uint32_t scratch_size;  // bytes at the end of the arena ([arena_size - scratch_size,
                          // arena_size)) that kernels decoding weights may use
  // v3: the segment holding this model's names, records and payloads (its
  // segment's Strings, Tensors, Ops, OpIo, Params, CodeBlocks, Weights);
  // 0 in v1/v2, whose one segment is all of them.
  uint32_t segment;
  uint32_t reserved[5];
};
static_assert(sizeof(ModelRecord) == 64, "ModelRecord layout");

enum class TensorKind : uint8_t { kActivation = 0, kConstant = 1 };
enum class DType : uint8_t {
  kF32 = 1,
  // v2 encodings of constant weight tensors [rows = out channels][row_length].
  // TensorRecord.offset then indexes kCodeBlocks (a record index, not bytes)
  // and TensorRecord.size is the decoded float32 byte size.
  kI8PerChannel = 2,  // w = scales[row] * int8 value
  kPq = 3,            // w = scales[row] * codebook[code][lane], see CodeBlockRecord
  // A constant of IEEE binary16 values (yono/half_float.h): only a Conv or
  // Dense bias, read once per output channel. TensorRecord.size is
  // elements * 2 and the offset in kWeights is 2-aligned.
  kF16 = 4,
  // Integer execution (docs/pack-format.md, "Integer execution"). kI8: an
  // int8 activation, real value = quant_scale * (q - quant_zero_point), or an
  // int8 constant (an int8 Unary's 256-entry lookup table). kI32: int32
  // constants, an int8 Conv/Dense's biases and an int8 op's requantization
  // table (yono/requant.h).
  kI8 = 5,
  kI32 = 6,
};

// A tensor of this dtype is encoded: its offset indexes kCodeBlocks and its
// size counts decoded f32 values. Any other constant is plain bytes in Weights.
inline constexpr bool is_encoded_dtype(uint8_t dtype) {
  return dtype == static_cast<uint8_t>(DType::kPq) ||
         dtype == static_cast<uint8_t>(DType::kI8PerChannel);
}
// Bytes per element in TensorRecord.size: 2 for f16, 1 for i8, else 4 (f32,
// i32, and the decoded f32 of an encoded tensor).
inline constexpr uint32_t element_bytes(uint8_t dtype) {
  return dtype == static_cast<uint8_t>(DType::kF16)  ? 2u
         : dtype == static_cast<uint8_t>(DType::kI8) ? 1u
                                                     : 4u;
}

enum class CodebookDType : uint32_t {
  kF32 = 1,
  kF16 = 2,  // IEEE binary16
  kI8 = 3,   // value = int8 * CodebookRecord.value_scale
  // value = int16 * CodebookRecord.value_scale: what an int8 Conv/Dense
  // multiplies its int8 activations by (rows decode to int16, like the
  // DSP extension's 16-bit lanes), at f16's size and a finer grid than kI8.
  kI16 = 4,
};

struct CodebookRecord {     // 32 bytes, in kCodebooks
  uint32_t codeword_count;  // K, 2..65536
  uint32_t dim;             // D, sub-vector length, 1..256
  uint32_t dtype;           // CodebookDType
  uint32_t data_offset;     // in kWeights, 4-aligned; K * D values of dtype
  uint32_t data_size;       // bytes
  float value_scale;        // kI8 only; 0 otherwise
  uint32_t name;            // string offset, e.g. "shared/kxk" (for inspect)
  uint32_t reserved;
};
static_assert(sizeof(CodebookRecord) == 32, "CodebookRecord layout");

// How a code block's per-row scales are stored. kF32 is 0 so packs written
// before the field existed (a u32 code_bits whose high half was 0) read the
// same. f16 scales halve their bytes for a relative error of at most 2^-11
// (scales of 2^-14 and above; smaller ones are half subnormals, rounded to
// within 2^-25 absolute), far below any weight quantization's error.
enum class ScaleDType : uint16_t {
  kF32 = 0,
  kF16 = 1,  // IEEE binary16, decoded with yono/half_float.h
};
constexpr uint32_t kScaleDTypeCount = 2;
inline constexpr uint32_t scale_dtype_bytes(ScaleDType t) {
  return t == ScaleDType::kF16 ? 2u : 4u;
}

// How one encoded weight tensor is stored. A row is one output channel's
// flattened weights (OIHW order for conv, [out][in] for dense).
struct CodeBlockRecord {  // 32 bytes, in kCodeBlocks
  uint32_t rows;
  uint32_t row_length;
  uint32_t codebook;            // kPq: index into kCodebooks; else 0xFFFFFFFF
  uint32_t subvectors_per_row;  // kPq: ceil(row_length / dim); else 0
  uint16_t code_bits;           // kPq: ceil(log2 K), 1..16; kI8PerChannel: 8
  uint16_t scale_dtype;         // ScaleDType of the scales (was code_bits' zero high half)
  uint32_t data_offset;         // in kWeights: bit-packed codes (kPq, LSB first,
                                //   rows * subvectors_per_row codes) or int8 values
  uint32_t data_size;           // bytes
  uint32_t scales_offset;       // in kWeights, 4-aligned: rows values of scale_dtype
};
static_assert(sizeof(CodeBlockRecord) == 32, "CodeBlockRecord layout");

struct TensorRecord {  // 48 bytes
  uint32_t name;       // offset in the string section
  uint8_t kind;        // TensorKind
  uint8_t dtype;       // DType
  uint8_t rank;        // 0..kMaxRank; batch dimension included (always 1)
  uint8_t reserved0;
  uint32_t dims[kMaxRank];  // unused dims are 0
  uint32_t offset;          // activation: byte offset in the arena; constant: in kWeights
  uint32_t size;            // bytes = product(dims) * sizeof(dtype)
  // kI8 activations only (0 otherwise): real = quant_scale * (q - quant_zero_point),
  // quant_scale finite and > 0, quant_zero_point in [-128, 127] (TFLite's
  // per-tensor asymmetric convention).
  float quant_scale;
  int32_t quant_zero_point;
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
  // in: x; AxisGatherParams then its offset tables (variable size). Every
  // pure data movement the importer meets: Transpose, Slice, Gather, Split,
  // Expand, nearest Resize, edge/reflect Pad.
  kAxisGather = 12,
  kLogSoftmax = 13,  // in: x; SoftmaxParams
  // in: x; no params. Between an f32 and a kI8 activation of the same element
  // count, by the int8 one's scale and zero point (yono/requant.h): f32 -> i8
  // quantizes, i8 -> f32 dequantizes.
  kConvert = 14,
};
constexpr uint16_t kOpTypeCount = 15;  // one past the largest OpType value

struct OpRecord {  // 32 bytes
  uint16_t type;   // OpType
  uint8_t input_count;
  uint8_t output_count;   // always 1 in v1
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

// kSum only in GlobalPoolParams (ReduceSum); windowed pools are max or average.
enum class PoolKind : uint32_t { kMax = 0, kAverage = 1, kSum = 2 };

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
  kLeakyRelu = 1,  // alpha = slope
  kClip = 2,       // alpha = min, beta = max
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

enum class BinaryKind : uint32_t {
  kAdd = 0,
  kSub = 1,
  kMul = 2,
  kDiv = 3,
  kPRelu = 4,  // a >= 0 ? a : a * b (b: the slopes)
};
enum class Broadcast : uint32_t {
  kNone = 0,         // a and b both have `count` elements
  kBPerChannel = 1,  // b has c elements, each applied to `inner` consecutive a's
  kBScalar = 2,      // b has 1 element
  kAPerChannel = 3,  // a has c elements (b full); needed for non-commutative Sub
  kAScalar = 4,      // a has 1 element
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
  uint32_t outer;      // product of dims before the axis
  uint32_t inner;      // product of dims after the axis
};                     // input i contributes dims[axis]_i * inner elements per outer row

struct SoftmaxParams {
  uint32_t outer, axis_len, inner;
};

// out[i0, ..., ir-1] = in[offsets_0[i0] + ... + offsets_r-1[ir-1]]: each
// output axis k has a table of dims[k] input element offsets, stored right
// after this struct in Params (table 0 first). A transpose's tables are
// strides, a slice's strided ranges, a gather's chosen rows, an expand's
// zeros, a nearest resize's source indices, a reflect pad's mirrored ones.
// The iteration dims need not be the output tensor's dims, only their count.
struct AxisGatherParams {
  uint32_t rank;            // 1..kMaxRank
  uint32_t dims[kMaxRank];  // iteration dims, each >= 1; unused ones 0
};                          // then sum(dims) uint32 offsets
static_assert(sizeof(AxisGatherParams) == 28, "AxisGatherParams layout");

struct PadParams {  // constant padding of the last two (spatial) dims only
  uint32_t c, in_h, in_w;
  uint32_t pad_top, pad_left, pad_bottom, pad_right;
  float value;
};

// ---- Integer execution. An op runs its int8 kernel when any of its
// activations is kI8; its act_min/act_max are then int8 output values. ----

// One output channel's requantization: an int8 Conv/Dense's last input is a
// kI32 constant of out_c of these (yono/requant.h says how they apply).
struct RequantEntry {
  int32_t multiplier;  // Q31, signed (a negative row scale negates it)
  int32_t shift;       // -31..30: the power of two applied with it
};
static_assert(sizeof(RequantEntry) == 8, "RequantEntry layout");

// An int8 Add's last input: a kI32 constant of these 7 values. Both inputs
// are rescaled to a common fixed-point scale (x - zero point) * 2^left_shift
// requantized by (a_*, b_*), summed, then requantized by out_*.
struct I8AddRequant {
  int32_t left_shift;  // 0..23
  RequantEntry a, b, out;
};
static_assert(sizeof(I8AddRequant) == 28, "I8AddRequant layout");

}  // namespace yono
