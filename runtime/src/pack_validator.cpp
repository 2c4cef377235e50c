#include "pack_validator.h"

#include <string.h>

#include "ops/op_table.h"
#include "yono/crc32.h"

namespace yono {
namespace {

constexpr uint32_t kMaxSections = 64;  // bounds the pairwise overlap check
constexpr uint32_t kKnownSections = 7;

bool is_aligned(const void* p, uintptr_t a) {
  return (reinterpret_cast<uintptr_t>(p) % a) == 0;
}

template <size_t N>
bool all_zero(const uint32_t (&words)[N]) {
  for (uint32_t w : words)
    if (w != 0) return false;
  return true;
}

// Reserved bytes after `size` must be 0 so later versions can give them a
// meaning; checked bytewise so it holds however many reserved words follow.
bool zero_tail(const TensorRecord& t) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(&t);
  for (size_t i = offsetof(TensorRecord, size) + 4; i < sizeof(TensorRecord); ++i)
    if (bytes[i] != 0) return false;
  return true;
}

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
  return a < b + b_size && b < a + a_size;
}

}  // namespace

Status PackValidator::check_header(const uint8_t* data, size_t size, PackHeader* h) {
  if (size < sizeof(PackHeader)) return Status::kTruncated;
  memcpy(h, data, sizeof(PackHeader));
  if (h->magic != kPackMagic) return Status::kBadMagic;
  if (h->version != kPackVersion || h->flags != 0) return Status::kUnsupportedVersion;
  if (h->file_size > size) return Status::kTruncated;
  if (h->section_count == 0 || h->section_count > kMaxSections) return Status::kBadSection;
  const uint64_t table_end = sizeof(PackHeader) + uint64_t{h->section_count} * sizeof(SectionEntry);
  if (table_end > h->file_size) return Status::kTruncated;
  // The CRC field itself is taken as zero while checksumming.
  const uint32_t zero = 0;
  const size_t crc_at = offsetof(PackHeader, header_crc);
  uint32_t crc = crc32(data, crc_at);
  crc = crc32(reinterpret_cast<const uint8_t*>(&zero), sizeof(zero), crc);
  crc = crc32(data + crc_at + 4, static_cast<size_t>(table_end) - crc_at - 4, crc);
  if (crc != h->header_crc) return Status::kBadChecksum;
  if (h->reserved[0] != 0 || h->reserved[1] != 0) return Status::kUnsupportedVersion;
  return Status::kOk;
}

Status PackValidator::bind_sections(const uint8_t* data, const PackHeader& h, Pack* p) {
  const uint8_t* table = data + sizeof(PackHeader);
  const uint64_t table_end = sizeof(PackHeader) + uint64_t{h.section_count} * sizeof(SectionEntry);
  const uint8_t* found[kKnownSections + 1] = {};
  uint32_t found_size[kKnownSections + 1] = {};
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry s;
    memcpy(&s, table + i * sizeof(SectionEntry), sizeof(s));
    if (s.type == 0) return Status::kBadSection;
    if (s.offset % kSectionAlign != 0) return Status::kBadAlignment;
    if (s.offset < table_end || uint64_t{s.offset} + s.size > h.file_size) {
      return Status::kBadSection;
    }
    for (uint32_t j = 0; j < i; ++j) {
      SectionEntry o;
      memcpy(&o, table + j * sizeof(SectionEntry), sizeof(o));
      if (o.type == s.type || ranges_overlap(s.offset, s.size, o.offset, o.size)) {
        return Status::kBadSection;
      }
    }
    if (crc32(data + s.offset, s.size) != s.crc32) return Status::kBadChecksum;
    // Unknown types are checked like the others but otherwise skipped, so a
    // later minor revision can add sections v1 readers do not need.
    if (s.type <= kKnownSections) {
      found[s.type] = data + s.offset;
      found_size[s.type] = s.size;
    }
  }
  for (uint32_t t = 1; t <= kKnownSections; ++t)
    if (found[t] == nullptr) return Status::kBadSection;

  const uint32_t strings = static_cast<uint32_t>(SectionType::kStrings);
  const uint32_t models = static_cast<uint32_t>(SectionType::kModels);
  const uint32_t tensors = static_cast<uint32_t>(SectionType::kTensors);
  const uint32_t op_recs = static_cast<uint32_t>(SectionType::kOps);
  const uint32_t op_io = static_cast<uint32_t>(SectionType::kOpIo);
  const uint32_t params = static_cast<uint32_t>(SectionType::kParams);
  const uint32_t weights = static_cast<uint32_t>(SectionType::kWeights);

  // Every name must end inside the section, so the last byte must be NUL.
  if (found_size[strings] == 0 || found[strings][found_size[strings] - 1] != 0) {
    return Status::kBadSection;
  }
  if (h.model_count == 0 || found_size[models] != uint64_t{h.model_count} * sizeof(ModelRecord) ||
      found_size[tensors] % sizeof(TensorRecord) != 0 ||
      found_size[op_recs] % sizeof(OpRecord) != 0 || found_size[op_io] % 4 != 0 ||
      found_size[params] % 4 != 0) {
    return Status::kBadSection;
  }
  p->data_ = data;
  p->size_ = h.file_size;
  p->model_count_ = h.model_count;
  p->strings_ = reinterpret_cast<const char*>(found[strings]);
  p->strings_size_ = found_size[strings];
  p->models_ = reinterpret_cast<const ModelRecord*>(found[models]);
  p->tensors_ = reinterpret_cast<const TensorRecord*>(found[tensors]);
  p->tensor_count_ = found_size[tensors] / static_cast<uint32_t>(sizeof(TensorRecord));
  p->ops_ = reinterpret_cast<const OpRecord*>(found[op_recs]);
  p->op_count_ = found_size[op_recs] / static_cast<uint32_t>(sizeof(OpRecord));
  p->op_io_ = reinterpret_cast<const uint32_t*>(found[op_io]);
  p->op_io_count_ = found_size[op_io] / 4u;
  p->params_ = found[params];
  p->params_size_ = found_size[params];
  p->weights_ = found[weights];
  p->weights_size_ = found_size[weights];
  return Status::kOk;
}

Status PackValidator::check_name(const Pack& p, uint32_t offset) {
  if (offset >= p.strings_size_) return Status::kBadSection;
  // Terminated by the section's final NUL at the latest, so strnlen is safe.
  const char* s = p.strings_ + offset;
  uint32_t len = 0;
  while (s[len] != 0) {
    if (++len > kMaxNameLength) return Status::kBadSection;
  }
  return Status::kOk;
}

Status PackValidator::check_tensor(const Pack& p, const ModelRecord& m, const TensorRecord& t) {
  if (check_name(p, t.name) != Status::kOk) return Status::kBadTensor;
  if (t.dtype != static_cast<uint8_t>(DType::kF32) || t.rank > kMaxRank || t.reserved0 != 0 ||
      !zero_tail(t)) {
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
  if (t.size != count * 4) return Status::kBadTensor;
  const uint64_t end = uint64_t{t.offset} + t.size;
  if (t.kind == static_cast<uint8_t>(TensorKind::kActivation)) {
    if (t.offset % kSectionAlign != 0 || end > m.arena_size) return Status::kBadTensor;
  } else if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
    if (t.offset % 4 != 0 || end > p.weights_size_) return Status::kBadTensor;
  } else {
    return Status::kBadTensor;
  }
  return Status::kOk;
}

Status PackValidator::check_op(const Pack& p, const ModelRecord& m, const OpRecord& op) {
  const ops::OpEntry* entry = ops::op_entry(op.type);
  if (entry == nullptr || op.output_count != 1 || op.input_count == 0 ||
      op.input_count > kMaxOpInputs || !all_zero(op.reserved)) {
    return Status::kBadOp;
  }
  if (uint64_t{op.io_first} + op.input_count + op.output_count > p.op_io_count_) {
    return Status::kBadOp;
  }
  const uint32_t* io = p.op_io_ + op.io_first;
  for (uint32_t i = 0; i < uint32_t{op.input_count} + op.output_count; ++i)
    if (io[i] >= m.tensor_count) return Status::kBadOp;

  if (op.param_size != entry->param_size || op.param_offset % 4 != 0 ||
      uint64_t{op.param_offset} + op.param_size > p.params_size_) {
    return Status::kBadParams;
  }
  const TensorRecord* tensors = p.tensors_ + m.first_tensor;
  const uint32_t out_index = io[op.input_count];
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
  ops::OpContext ctx{tensors,       io,      op.input_count, out_index, p.params_ + op.param_offset,
                     op.param_size, nullptr, nullptr};
  return entry->validate(ctx);
}

Status PackValidator::check_model(const Pack& p, const ModelRecord& m) {
  if (check_name(p, m.name) != Status::kOk) return Status::kBadModel;
  if (m.scratch_size != 0 || !all_zero(m.reserved)) return Status::kBadModel;
  if (m.tensor_count == 0 || uint64_t{m.first_tensor} + m.tensor_count > p.tensor_count_ ||
      m.op_count == 0 || uint64_t{m.first_op} + m.op_count > p.op_count_ || m.input_count == 0 ||
      m.output_count == 0 ||
      uint64_t{m.io_first} + m.input_count + m.output_count > p.op_io_count_) {
    return Status::kBadModel;
  }
  const TensorRecord* tensors = p.tensors_ + m.first_tensor;
  for (uint32_t i = 0; i < m.input_count + m.output_count; ++i) {
    const uint32_t t = p.op_io_[m.io_first + i];
    if (t >= m.tensor_count || tensors[t].kind != static_cast<uint8_t>(TensorKind::kActivation)) {
      return Status::kBadModel;
    }
  }
  for (uint32_t i = 0; i < m.tensor_count; ++i) {
    const Status s = check_tensor(p, m, tensors[i]);
    if (s != Status::kOk) return s;
  }
  for (uint32_t i = 0; i < m.op_count; ++i) {
    const Status s = check_op(p, m, p.ops_[m.first_op + i]);
    if (s != Status::kOk) return s;
  }
  return Status::kOk;
}

Status PackValidator::run(const uint8_t* data, size_t size, Pack* out) {
  if (data == nullptr || out == nullptr) return Status::kInvalidArgument;
  if (!is_aligned(data, 4)) return Status::kBadAlignment;
  PackHeader header;
  Status s = check_header(data, size, &header);
  if (s != Status::kOk) return s;
  Pack p;
  s = bind_sections(data, header, &p);
  if (s != Status::kOk) return s;
  for (uint32_t i = 0; i < p.model_count_; ++i) {
    s = check_model(p, p.models_[i]);
    if (s != Status::kOk) return s;
    for (uint32_t j = 0; j < i; ++j)
      if (strcmp(p.string_at(p.models_[i].name), p.string_at(p.models_[j].name)) == 0) {
        return Status::kBadModel;
      }
  }
  *out = p;
  return Status::kOk;
}

}  // namespace yono
