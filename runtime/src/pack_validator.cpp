#include "pack_validator.h"

#include <float.h>

#include "mem.h"
#include "ops/op_table.h"
#include "yono/bitpack.h"
#include "yono/crc32.h"

namespace yono {
namespace {

constexpr uint32_t kRequiredSections = 7;  // types 1..7, in every version
constexpr uint32_t kCodebooksType = static_cast<uint32_t>(SectionType::kCodebooks);
constexpr uint32_t kCodeBlocksType = static_cast<uint32_t>(SectionType::kCodeBlocks);
constexpr uint32_t kTypeSlots = kCodeBlocksType + 1;  // found[] is indexed by type
constexpr uint32_t kNoCodebook = 0xFFFFFFFFu;
constexpr uint64_t kMaxElements = uint64_t{1} << 30;  // so byte sizes fit in u32

bool is_aligned(const void* p, uintptr_t a) {
  return (reinterpret_cast<uintptr_t>(p) % a) == 0;
}

template <size_t N>
bool all_zero(const uint32_t (&words)[N]) {
  for (uint32_t w : words)
    if (w != 0) return false;
  return true;
}

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
  return a < b + b_size && b < a + a_size;
}

uint64_t table_offset(const PackHeader& h) {
  return section_table_offset(h);
}

// The section types each segment has one of; Models and Codebooks belong to
// the whole pack.
bool is_segment_type(uint32_t type) {
  return type != static_cast<uint32_t>(SectionType::kModels) && type != kCodebooksType &&
         (type <= kRequiredSections || type == kCodeBlocksType);
}

}  // namespace

Status PackValidator::check_header(const uint8_t* data, size_t size, PackHeader* h) {
  if (size < sizeof(PackHeader)) return Status::kTruncated;
  rt::copy_bytes(h, data, sizeof(PackHeader));
  if (h->magic != kPackMagic) return Status::kBadMagic;
  if ((h->version != kPackVersion && h->version != kPackVersionFloat &&
       h->version != kPackVersionGrown) ||
      h->flags != 0) {
    return Status::kUnsupportedVersion;
  }
  if (h->file_size > size) return Status::kTruncated;
  if (h->section_count == 0 || h->section_count > kMaxSectionCount) return Status::kBadSection;
  // Only a grown (v3) pack moves its table; it may not overlap the header.
  const bool grown = h->version == kPackVersionGrown;
  if (!grown && h->table_offset != 0) return Status::kUnsupportedVersion;
  if (grown && (h->table_offset < sizeof(PackHeader) || h->table_offset % kSectionAlign != 0)) {
    return Status::kBadSection;
  }
  const uint64_t table_at = table_offset(*h);
  const uint64_t table_end = table_at + uint64_t{h->section_count} * sizeof(SectionEntry);
  if (table_end > h->file_size) return Status::kTruncated;
  // The CRC covers the header, its own field taken as zero, then the table.
  const uint32_t zero = 0;
  const size_t crc_at = offsetof(PackHeader, header_crc);
  uint32_t crc = crc32(data, crc_at);
  crc = crc32(reinterpret_cast<const uint8_t*>(&zero), sizeof(zero), crc);
  crc = crc32(data + crc_at + 4, sizeof(PackHeader) - crc_at - 4, crc);
  crc = crc32(data + table_at, static_cast<size_t>(table_end - table_at), crc);
  if (crc != h->header_crc) return Status::kBadChecksum;
  if (h->reserved != 0) return Status::kUnsupportedVersion;
  return Status::kOk;
}

Status PackValidator::bind_sections(const uint8_t* data, const PackHeader& h, Pack* p,
                                    PackFault* where) {
  const uint64_t table_at = table_offset(h);
  const uint8_t* table = data + table_at;
  const uint64_t table_end = table_at + uint64_t{h.section_count} * sizeof(SectionEntry);
  // found[type][k]: the k-th section of that type in table order, which
  // belongs to segment k (docs/pack-format.md, "Segments").
  const uint8_t* found[kTypeSlots][kMaxSegments] = {};
  uint32_t found_size[kTypeSlots][kMaxSegments] = {};
  uint32_t count[kTypeSlots] = {};
  const bool grown = h.version == kPackVersionGrown;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    where->index = i;
    SectionEntry s;
    rt::copy_bytes(&s, table + i * sizeof(SectionEntry), sizeof(s));
    if (s.type == 0) return Status::kBadSection;
    if (s.offset % kSectionAlign != 0) return Status::kBadAlignment;
    if (s.offset < sizeof(PackHeader) || uint64_t{s.offset} + s.size > h.file_size ||
        ranges_overlap(s.offset, s.size, table_at, table_end - table_at)) {
      return Status::kBadSection;
    }
    for (uint32_t j = 0; j < i; ++j) {
      SectionEntry o;
      rt::copy_bytes(&o, table + j * sizeof(SectionEntry), sizeof(o));
      const bool repeatable = grown && is_segment_type(s.type);
      if ((o.type == s.type && !repeatable) || ranges_overlap(s.offset, s.size, o.offset, o.size)) {
        return Status::kBadSection;
      }
    }
    if (crc32(data + s.offset, s.size) != s.crc32) return Status::kBadChecksum;
    // Unknown types are checked like the others but otherwise skipped, so a
    // later minor revision can add sections older readers do not need. The
    // v2 sections change what tensors mean, so a v1 pack may not carry them.
    const bool v2_type = s.type == kCodebooksType || s.type == kCodeBlocksType;
    if (v2_type && h.version == kPackVersionFloat) return Status::kBadSection;
    if (s.type <= kRequiredSections || v2_type) {
      if (count[s.type] == kMaxSegments) return Status::kBadSection;
      found[s.type][count[s.type]] = data + s.offset;
      found_size[s.type][count[s.type]] = s.size;
      ++count[s.type];
    }
  }
  where->index = UINT32_MAX;  // the table as a whole from here on
  for (uint32_t t = 1; t <= kRequiredSections; ++t)
    if (count[t] == 0) return Status::kBadSection;
  // Every segment has each per-segment section; a grown pack's have code
  // blocks too, so the k-th of every type is unambiguous.
  const uint32_t segments = count[static_cast<uint32_t>(SectionType::kStrings)];
  for (uint32_t t = 1; t < kTypeSlots; ++t) {
    const bool required = is_segment_type(t) && (t <= kRequiredSections || grown);
    if (required && count[t] != segments) return Status::kBadSection;
  }

  const uint32_t models = static_cast<uint32_t>(SectionType::kModels);
  if (h.model_count == 0 ||
      found_size[models][0] != uint64_t{h.model_count} * sizeof(ModelRecord)) {
    return Status::kBadSection;
  }
  p->data_ = data;
  p->size_ = h.file_size;
  p->model_count_ = h.model_count;
  p->models_ = reinterpret_cast<const ModelRecord*>(found[models][0]);
  p->version_ = h.version;
  p->segment_count_ = segments;
  for (uint32_t k = 0; k < segments; ++k) {
    const Status st = bind_segment(found, found_size, k, &p->segments_[k]);
    if (st != Status::kOk) return st;
  }
  if (found_size[kCodebooksType][0] % sizeof(CodebookRecord) != 0) return Status::kBadSection;
  p->codebooks_ = reinterpret_cast<const CodebookRecord*>(found[kCodebooksType][0]);
  p->codebook_count_ =
      found_size[kCodebooksType][0] / static_cast<uint32_t>(sizeof(CodebookRecord));
  return Status::kOk;
}

Status PackValidator::bind_segment(const uint8_t* const (*found)[kMaxSegments],
                                   const uint32_t (*found_size)[kMaxSegments], uint32_t k,
                                   PackSegment* seg) {
  const uint32_t strings = static_cast<uint32_t>(SectionType::kStrings);
  const uint32_t tensors = static_cast<uint32_t>(SectionType::kTensors);
  const uint32_t op_recs = static_cast<uint32_t>(SectionType::kOps);
  const uint32_t op_io = static_cast<uint32_t>(SectionType::kOpIo);
  const uint32_t params = static_cast<uint32_t>(SectionType::kParams);
  const uint32_t weights = static_cast<uint32_t>(SectionType::kWeights);
  // Every name must end inside the section, so the last byte must be NUL.
  if (found_size[strings][k] == 0 || found[strings][k][found_size[strings][k] - 1] != 0) {
    return Status::kBadSection;
  }
  if (found_size[tensors][k] % sizeof(TensorRecord) != 0 ||
      found_size[op_recs][k] % sizeof(OpRecord) != 0 || found_size[op_io][k] % 4 != 0 ||
      found_size[params][k] % 4 != 0 ||
      found_size[kCodeBlocksType][k] % sizeof(CodeBlockRecord) != 0) {
    return Status::kBadSection;
  }
  seg->strings = reinterpret_cast<const char*>(found[strings][k]);
  seg->strings_size = found_size[strings][k];
  seg->tensors = reinterpret_cast<const TensorRecord*>(found[tensors][k]);
  seg->tensor_count = found_size[tensors][k] / static_cast<uint32_t>(sizeof(TensorRecord));
  seg->ops = reinterpret_cast<const OpRecord*>(found[op_recs][k]);
  seg->op_count = found_size[op_recs][k] / static_cast<uint32_t>(sizeof(OpRecord));
  seg->op_io = reinterpret_cast<const uint32_t*>(found[op_io][k]);
  seg->op_io_count = found_size[op_io][k] / 4u;
  seg->params = found[params][k];
  seg->params_size = found_size[params][k];
  seg->weights = found[weights][k];
  seg->weights_size = found_size[weights][k];
  seg->code_blocks = reinterpret_cast<const CodeBlockRecord*>(found[kCodeBlocksType][k]);
  seg->code_block_count =
      found_size[kCodeBlocksType][k] / static_cast<uint32_t>(sizeof(CodeBlockRecord));
  return Status::kOk;
}

namespace {

bool in_weights(const PackSegment& s, uint64_t offset, uint64_t size) {
  return offset + size <= s.weights_size;
}

uint32_t codebook_elem_size(uint32_t dtype) {
  switch (static_cast<CodebookDType>(dtype)) {
    case CodebookDType::kF32: return 4;
    case CodebookDType::kF16: return 2;
    case CodebookDType::kI8: return 1;
    case CodebookDType::kI16: return 2;
  }
  return 0;
}

// Every code must index an existing codeword, so kernels can use codes
// without a bound check. Only needed when K is not a power of two: with
// exactly ceil(log2 K) bits every representable code is then < K.
bool codes_in_range(const uint8_t* codes, uint32_t bits, uint32_t count, uint32_t k) {
  if ((uint64_t{1} << bits) == k) return true;
  constexpr uint32_t kBatch = 64;
  uint16_t batch[kBatch];
  for (uint32_t done = 0; done < count; done += kBatch) {
    const uint32_t n = count - done < kBatch ? count - done : kBatch;
    bitpack_unpack(codes, bits, done, n, batch);
    for (uint32_t i = 0; i < n; ++i)
      if (batch[i] >= k) return false;
  }
  return true;
}

}  // namespace

Status PackValidator::check_codebook(const Pack& p, const CodebookRecord& c) {
  // Codebook names and values live in segment 0.
  const PackSegment& s0 = p.segments_[0];
  if (check_name(s0, c.name) != Status::kOk) return Status::kBadTensor;
  const uint32_t elem = codebook_elem_size(c.dtype);
  if (elem == 0 || c.reserved != 0) return Status::kBadTensor;
  if (c.codeword_count < 2 || c.codeword_count > 65536u || c.dim < 1 || c.dim > 256) {
    return Status::kBadTensor;
  }
  if (c.data_offset % 4 != 0 || uint64_t{c.codeword_count} * c.dim * elem != c.data_size ||
      !in_weights(s0, c.data_offset, c.data_size)) {
    return Status::kBadTensor;
  }
  if (c.dtype == static_cast<uint32_t>(CodebookDType::kI8) ||
      c.dtype == static_cast<uint32_t>(CodebookDType::kI16)) {
    // Also rejects NaN and infinity.
    if (!(c.value_scale > 0.0f && c.value_scale <= FLT_MAX)) return Status::kBadTensor;
  } else {
    uint32_t bits;
    rt::copy_bytes(&bits, &c.value_scale, 4);
    if (bits != 0) return Status::kBadTensor;
  }
  return Status::kOk;
}

Status PackValidator::check_code_block(const Pack& p, const PackSegment& s,
                                       const CodeBlockRecord& b) {
  const uint64_t elements = uint64_t{b.rows} * b.row_length;
  if (b.rows == 0 || b.row_length == 0 || elements > kMaxElements) return Status::kBadTensor;
  if (b.scale_dtype >= kScaleDTypeCount) return Status::kBadTensor;
  const uint32_t scale_bytes = scale_dtype_bytes(static_cast<ScaleDType>(b.scale_dtype));
  if (b.scales_offset % 4 != 0 || !in_weights(s, b.scales_offset, uint64_t{b.rows} * scale_bytes) ||
      !in_weights(s, b.data_offset, b.data_size)) {
    return Status::kBadTensor;
  }
  if (b.codebook == kNoCodebook) {  // per-channel int8
    if (b.subvectors_per_row != 0 || b.code_bits != 8 || b.data_size != elements) {
      return Status::kBadTensor;
    }
    return Status::kOk;
  }
  if (b.codebook >= p.codebook_count_) return Status::kBadTensor;
  const CodebookRecord& c = p.codebooks_[b.codebook];
  const uint64_t subvectors = (uint64_t{b.row_length} + c.dim - 1) / c.dim;
  if (b.subvectors_per_row != subvectors || b.code_bits != code_bits_for(c.codeword_count)) {
    return Status::kBadTensor;
  }
  // rows * subvectors <= rows * row_length <= 2^30.
  const uint32_t count = b.rows * b.subvectors_per_row;
  if (b.data_size != bitpack_bytes(b.code_bits, count)) return Status::kBadTensor;
  if (!codes_in_range(s.weights + b.data_offset, b.code_bits, count, c.codeword_count)) {
    return Status::kBadTensor;
  }
  return Status::kOk;
}

Status PackValidator::check_name(const PackSegment& seg, uint32_t offset) {
  if (offset >= seg.strings_size) return Status::kBadSection;
  // Terminated by the section's final NUL at the latest, so strnlen is safe.
  const char* s = seg.strings + offset;
  uint32_t len = 0;
  while (s[len] != 0) {
    if (++len > kMaxNameLength) return Status::kBadSection;
  }
  return Status::kOk;
}

// Integer execution's per-tensor rule: a kI8 activation's scale is finite
// and positive and its zero point an int8; every other tensor has both 0.
static bool valid_quant(const TensorRecord& t) {
  const bool quantized = t.dtype == static_cast<uint8_t>(DType::kI8) &&
                         t.kind == static_cast<uint8_t>(TensorKind::kActivation);
  if (!quantized) {
    uint32_t scale_bits;
    rt::copy_bytes(&scale_bits, &t.quant_scale, 4);
    return scale_bits == 0 && t.quant_zero_point == 0;
  }
  return t.quant_scale > 0.0f && t.quant_scale <= FLT_MAX && t.quant_zero_point >= -128 &&
         t.quant_zero_point <= 127;
}

Status PackValidator::check_tensor(const Pack& p, const PackSegment& s, const ModelRecord& m,
                                   const TensorRecord& t) {
  if (check_name(s, t.name) != Status::kOk) return Status::kBadTensor;
  const bool encoded = is_encoded_dtype(t.dtype);
  // Anything but f32 is v2: encoded weights, f16 values that check_op admits
  // as Conv/Dense biases only, int8 activations and tables, int32 constants.
  const bool constant = t.kind == static_cast<uint8_t>(TensorKind::kConstant);
  const bool f32 = t.dtype == static_cast<uint8_t>(DType::kF32);
  const bool half = t.dtype == static_cast<uint8_t>(DType::kF16);
  const bool i8 = t.dtype == static_cast<uint8_t>(DType::kI8);
  const bool i32 = t.dtype == static_cast<uint8_t>(DType::kI32);
  if (!f32 && (p.version_ == kPackVersionFloat || (!constant && !i8))) return Status::kBadTensor;
  if ((!f32 && !encoded && !half && !i8 && !i32) || t.rank > kMaxRank || t.reserved0 != 0 ||
      !valid_quant(t)) {
    return Status::kBadTensor;
  }
  uint64_t count = 1;
  for (uint32_t d = 0; d < kMaxRank; ++d) {
    if (d < t.rank) {
      if (t.dims[d] == 0) return Status::kBadTensor;
      count *= t.dims[d];
      if (count > (1u << 30)) return Status::kBadTensor;  // size must fit in u32
    } else if (t.dims[d] != 0) {
      return Status::kBadTensor;
    }
  }
  if (t.size != count * element_bytes(t.dtype)) return Status::kBadTensor;
  if (encoded) {  // offset is a code block index; size the decoded bytes
    if (t.offset >= s.code_block_count) return Status::kBadTensor;
    const CodeBlockRecord& b = s.code_blocks[t.offset];
    const bool pq_block = b.codebook != kNoCodebook;
    if (pq_block != (t.dtype == static_cast<uint8_t>(DType::kPq)) ||
        uint64_t{b.rows} * b.row_length != count) {
      return Status::kBadTensor;
    }
    return Status::kOk;
  }
  const uint64_t end = uint64_t{t.offset} + t.size;
  if (t.kind == static_cast<uint8_t>(TensorKind::kActivation)) {
    // Activations stay below the scratch region at the arena's end.
    if (t.offset % kSectionAlign != 0 || end > m.arena_size - m.scratch_size) {
      return Status::kBadTensor;
    }
  } else if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
    if (t.offset % element_bytes(t.dtype) != 0 || end > s.weights_size) return Status::kBadTensor;
  } else {
    return Status::kBadTensor;
  }
  return Status::kOk;
}

Status PackValidator::check_op(const Pack& p, const PackSegment& s, const ModelRecord& m,
                               const OpRecord& op) {
  const ops::OpEntry* entry = ops::op_entry(op.type);
  if (entry == nullptr || op.output_count != 1 || op.input_count == 0 ||
      op.input_count > kMaxOpInputs || !all_zero(op.reserved)) {
    return Status::kBadOp;
  }
  if (uint64_t{op.io_first} + op.input_count + op.output_count > s.op_io_count) {
    return Status::kBadOp;
  }
  const uint32_t* io = s.op_io + op.io_first;
  for (uint32_t i = 0; i < uint32_t{op.input_count} + op.output_count; ++i)
    if (io[i] >= m.tensor_count) return Status::kBadOp;

  const bool size_ok = entry->variable_params ? op.param_size >= entry->param_size
                                              : op.param_size == entry->param_size;
  if (!size_ok || op.param_offset % 4 != 0 ||
      uint64_t{op.param_offset} + op.param_size > s.params_size) {
    return Status::kBadParams;
  }
  const TensorRecord* tensors = s.tensors + m.first_tensor;
  const uint32_t out_index = io[op.input_count];
  const bool s8 = ops::runs_s8(tensors[io[0]], tensors[out_index]);
  // The int8 versions check every dtype themselves. Otherwise only Conv/Dense
  // kernels can decode weights (input 1: PQ or int8) and read f16 biases
  // (input 2); every other read is float.
  const bool weighted = op.type == static_cast<uint16_t>(OpType::kConv) ||
                        op.type == static_cast<uint16_t>(OpType::kDense);
  for (uint32_t i = 0; i < op.input_count && !s8; ++i) {
    const auto dtype = static_cast<DType>(tensors[io[i]].dtype);
    bool readable = dtype == DType::kF32;
    if (weighted && i == 1) readable |= dtype == DType::kPq || dtype == DType::kI8PerChannel;
    if (weighted && i == 2) readable |= dtype == DType::kF16;
    if (!readable) return Status::kBadOp;
  }
  const ops::ValidateFn validate = s8 ? entry->validate_s8 : entry->validate;
  if (validate == nullptr) return Status::kBadOp;
  const TensorRecord& out = tensors[out_index];
  if (out.kind != static_cast<uint8_t>(TensorKind::kActivation)) return Status::kBadOp;
  // Kernels other than the Reshape copy may not write over their inputs.
  if (op.type != static_cast<uint16_t>(OpType::kReshape)) {
    for (uint32_t i = 0; i < op.input_count; ++i) {
      const TensorRecord& in = tensors[io[i]];
      if (in.kind == static_cast<uint8_t>(TensorKind::kActivation) &&
          ranges_overlap(in.offset, in.size, out.offset, out.size)) {
        return Status::kBadOp;
      }
    }
  }
  const ops::OpContext ctx{tensors,
                           io,
                           op.input_count,
                           out_index,
                           s.params + op.param_offset,
                           op.param_size,
                           nullptr,
                           s.weights,
                           s.code_blocks,
                           &p,
                           &m};
  return validate(ctx);
}

// True if `tensor` is a graph input of `m` or an output of one of its first
// `op_limit` ops. Quadratic, but models have tens of ops and it needs no heap.
static bool written_before(const PackSegment& s, const ModelRecord& m, uint32_t tensor,
                           uint32_t op_limit) {
  for (uint32_t i = 0; i < m.input_count; ++i) {
    if (s.op_io[m.io_first + i] == tensor) return true;
  }
  for (uint32_t j = 0; j < op_limit; ++j) {
    const OpRecord& op = s.ops[m.first_op + j];
    const uint32_t* io = s.op_io + op.io_first;
    for (uint32_t k = 0; k < op.output_count; ++k) {
      if (io[op.input_count + k] == tensor) return true;
    }
  }
  return false;
}

// Every activation an op reads, and every model output, must be written
// first (by the caller or an earlier op); otherwise invoke would compute
// with bytes nobody wrote, e.g. another model's leftovers.
static Status check_dataflow(const PackSegment& s, const ModelRecord& m,
                             const TensorRecord* tensors) {
  for (uint32_t i = 0; i < m.op_count; ++i) {
    const OpRecord& op = s.ops[m.first_op + i];
    const uint32_t* io = s.op_io + op.io_first;
    for (uint32_t k = 0; k < op.input_count; ++k) {
      if (tensors[io[k]].kind == static_cast<uint8_t>(TensorKind::kActivation) &&
          !written_before(s, m, io[k], i)) {
        return Status::kBadOp;
      }
    }
  }
  for (uint32_t i = 0; i < m.output_count; ++i) {
    if (!written_before(s, m, s.op_io[m.io_first + m.input_count + i], m.op_count)) {
      return Status::kBadModel;
    }
  }
  return Status::kOk;
}

Status PackValidator::check_model(const Pack& p, const ModelRecord& m, PackFault* where) {
  if (m.segment >= p.segment_count_) return Status::kBadModel;
  const PackSegment& s = p.segments_[m.segment];
  // A model name is 1..255 bytes: an empty one could not be selected by name.
  if (check_name(s, m.name) != Status::kOk || s.strings[m.name] == '\0') return Status::kBadModel;
  if (!all_zero(m.reserved)) return Status::kBadModel;
  // Scratch is 16-aligned at the arena's end; v1 has none.
  if (m.scratch_size != 0 &&
      (p.version_ == kPackVersionFloat || m.scratch_size % kSectionAlign != 0 ||
       m.arena_size % kSectionAlign != 0 || m.scratch_size > m.arena_size)) {
    return Status::kBadModel;
  }
  if (m.tensor_count == 0 || uint64_t{m.first_tensor} + m.tensor_count > s.tensor_count ||
      m.op_count == 0 || uint64_t{m.first_op} + m.op_count > s.op_count || m.input_count == 0 ||
      m.output_count == 0 ||
      uint64_t{m.io_first} + m.input_count + m.output_count > s.op_io_count) {
    return Status::kBadModel;
  }
  const TensorRecord* tensors = s.tensors + m.first_tensor;
  for (uint32_t i = 0; i < m.input_count + m.output_count; ++i) {
    const uint32_t t = s.op_io[m.io_first + i];
    if (t >= m.tensor_count || tensors[t].kind != static_cast<uint8_t>(TensorKind::kActivation)) {
      return Status::kBadModel;
    }
  }
  where->part = PackPart::kTensor;
  for (uint32_t i = 0; i < m.tensor_count; ++i) {
    where->index = i;
    const Status st = check_tensor(p, s, m, tensors[i]);
    if (st != Status::kOk) return st;
  }
  // Session::input/output are float views: int8 models convert inside.
  where->part = PackPart::kModel;
  where->index = where->model;
  for (uint32_t i = 0; i < m.input_count + m.output_count; ++i) {
    if (tensors[s.op_io[m.io_first + i]].dtype != static_cast<uint8_t>(DType::kF32)) {
      return Status::kBadModel;
    }
  }
  where->part = PackPart::kOp;
  for (uint32_t i = 0; i < m.op_count; ++i) {
    where->index = i;
    const Status st = check_op(p, s, m, s.ops[m.first_op + i]);
    if (st != Status::kOk) return st;
  }
  where->part = PackPart::kDataflow;
  where->index = 0;
  return check_dataflow(s, m, tensors);
}

Status PackValidator::run(const uint8_t* data, size_t size, Pack* out, PackFault* where) {
  if (data == nullptr || out == nullptr) return Status::kInvalidArgument;
  if (!is_aligned(data, 4)) return Status::kBadAlignment;
  *where = PackFault{PackPart::kHeader, 0, 0, 0};
  PackHeader header;
  Status s = check_header(data, size, &header);
  if (s != Status::kOk) return s;
  Pack p;
  where->part = PackPart::kSectionTable;
  s = bind_sections(data, header, &p, where);
  if (s != Status::kOk) return s;
  where->part = PackPart::kCodebook;
  for (uint32_t i = 0; i < p.codebook_count_; ++i) {
    where->index = i;
    s = check_codebook(p, p.codebooks_[i]);
    if (s != Status::kOk) return s;
  }
  where->part = PackPart::kCodeBlock;
  for (uint32_t k = 0; k < p.segment_count_; ++k) {
    const PackSegment& seg = p.segments_[k];
    where->segment = k;
    for (uint32_t i = 0; i < seg.code_block_count; ++i) {
      where->index = i;
      s = check_code_block(p, seg, seg.code_blocks[i]);
      if (s != Status::kOk) return s;
    }
  }
  where->segment = 0;
  for (uint32_t i = 0; i < p.model_count_; ++i) {
    *where = PackFault{PackPart::kModel, 0, i, i};
    s = check_model(p, p.models_[i], where);
    if (s != Status::kOk) return s;
    *where = PackFault{PackPart::kModel, 0, i, i};  // the name rule below is the model's
    for (uint32_t j = 0; j < i; ++j)
      if (rt::same_string(p.model_name(i), p.model_name(j))) {
        return Status::kBadModel;
      }
  }
  *out = p;
  return Status::kOk;
}

}  // namespace yono
