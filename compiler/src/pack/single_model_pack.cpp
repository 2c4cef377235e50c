// Copies one model's records out of a validated pack and rebases every
// offset, so the result is what a device would store per model if each
// model lived in its own file.
#include "yono/compiler/pack/single_model_pack.h"

#include <algorithm>
#include <map>
#include <string>

#include "pack_sections.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/format.h"
#include "yono/status.h"

namespace yono {
namespace {

using pack_sections::append;
using pack_sections::pad_to;
using pack_sections::Sections;

// Names are informational; a missing one (never in a validated pack) stays empty.
std::string name_at(const PackSegment& seg, uint32_t offset) {
  const char* s = seg.string_at(offset);
  return s == nullptr ? std::string() : std::string(s);
}

// The Weights bytes the model references, copied as merged byte ranges. A
// range keeps its offset modulo 16, so every alignment the reader checks
// (and the 16-byte payload alignment kernels like) survives the move.
class WeightRanges {
 public:
  void add(uint32_t offset, uint32_t size) {
    if (size > 0) wanted_.push_back({offset, offset + size});
  }

  // Call once after every add(); returns the new Weights section.
  std::vector<uint8_t> build(const uint8_t* weights) {
    std::sort(wanted_.begin(), wanted_.end());
    std::vector<uint8_t> out;
    for (size_t i = 0; i < wanted_.size();) {
      uint64_t begin = wanted_[i].first, end = wanted_[i].second;
      for (++i; i < wanted_.size() && wanted_[i].first < end; ++i) {
        end = std::max(end, wanted_[i].second);
      }
      pad_to(out, kSectionAlign);
      out.resize(out.size() + begin % kSectionAlign, 0);
      moved_.push_back({begin, end, out.size()});
      out.insert(out.end(), weights + begin, weights + end);
    }
    return out;
  }

  uint32_t relocate(uint32_t offset) const {
    for (const Moved& m : moved_) {
      if (offset >= m.begin && offset < m.end) {
        return static_cast<uint32_t>(m.to + (offset - m.begin));
      }
    }
    throw Error("single_model_pack: weight offset " + std::to_string(offset) + " was not copied");
  }

 private:
  struct Moved {
    uint64_t begin, end, to;
  };
  std::vector<std::pair<uint64_t, uint64_t>> wanted_;
  std::vector<Moved> moved_;
};

// Old index -> new index, in first-use order.
class IndexMap {
 public:
  uint32_t add(uint32_t old_index) {
    auto [it, fresh] = map_.emplace(old_index, static_cast<uint32_t>(order_.size()));
    if (fresh) order_.push_back(old_index);
    return it->second;
  }
  uint32_t at(uint32_t old_index) const { return map_.at(old_index); }
  const std::vector<uint32_t>& order() const { return order_; }

 private:
  std::map<uint32_t, uint32_t> map_;
  std::vector<uint32_t> order_;
};

bool is_encoded(const TensorRecord& t) {
  return t.kind == static_cast<uint8_t>(TensorKind::kConstant) && is_encoded_dtype(t.dtype);
}

}  // namespace

std::vector<uint8_t> single_model_pack(const Pack& pack, uint32_t model) {
  if (model >= pack.model_count()) {
    throw Error("single_model_pack: model index " + std::to_string(model) + " out of range");
  }
  const ModelRecord& m = pack.models()[model];
  const PackSegment& seg = pack.model_segment(model);
  const PackSegment& seg0 = pack.segment(0);  // codebook values and names
  const TensorRecord* tensors = seg.tensors + m.first_tensor;

  // Which code blocks and codebooks the model uses, and which weight bytes:
  // its own from its segment's Weights, codebook values from segment 0's
  // (the same buffer unless the model was added to a grown pack).
  IndexMap blocks, codebooks;
  WeightRanges ranges, codebook_ranges;
  const bool apart = seg.weights != seg0.weights;
  WeightRanges& cb_ranges = apart ? codebook_ranges : ranges;
  for (uint32_t i = 0; i < m.tensor_count; ++i) {
    const TensorRecord& t = tensors[i];
    if (t.kind != static_cast<uint8_t>(TensorKind::kConstant)) continue;
    if (!is_encoded(t)) {
      ranges.add(t.offset, t.size);
      continue;
    }
    blocks.add(t.offset);
    const CodeBlockRecord& b = seg.code_blocks[t.offset];
    ranges.add(b.data_offset, b.data_size);
    ranges.add(b.scales_offset, b.rows * scale_dtype_bytes(static_cast<ScaleDType>(b.scale_dtype)));
    if (t.dtype == static_cast<uint8_t>(DType::kPq)) {
      codebooks.add(b.codebook);
      const CodebookRecord& c = pack.codebooks()[b.codebook];
      cb_ranges.add(c.data_offset, c.data_size);
    }
  }

  Sections s;
  // Apart: codebook values first, then the model's payloads after a 16-byte
  // boundary, so both keep their offsets modulo 16.
  uint32_t model_base = 0;
  if (apart) {
    s.weights = codebook_ranges.build(seg0.weights);
    pad_to(s.weights, kSectionAlign);
    model_base = static_cast<uint32_t>(s.weights.size());
  }
  const std::vector<uint8_t> own = ranges.build(seg.weights);
  s.weights.insert(s.weights.end(), own.begin(), own.end());
  auto relocate = [&](uint32_t offset) { return model_base + ranges.relocate(offset); };
  for (const uint32_t old : codebooks.order()) {
    CodebookRecord c = pack.codebooks()[old];
    c.data_offset = cb_ranges.relocate(c.data_offset);
    c.name = s.strings.intern(name_at(seg0, c.name));
    append(s.codebooks, c);
  }
  for (const uint32_t old : blocks.order()) {
    CodeBlockRecord b = seg.code_blocks[old];
    if (b.codebook != 0xFFFFFFFFu) b.codebook = codebooks.at(b.codebook);
    b.data_offset = relocate(b.data_offset);
    b.scales_offset = relocate(b.scales_offset);
    append(s.code_blocks, b);
  }

  ModelRecord nm = m;
  nm.name = s.strings.intern(name_at(seg, m.name));
  nm.segment = 0;
  nm.first_tensor = 0;
  nm.first_op = 0;
  nm.io_first = 0;
  append(s.models, nm);

  for (uint32_t i = 0; i < m.tensor_count; ++i) {
    TensorRecord t = tensors[i];
    t.name = s.strings.intern(name_at(seg, t.name));
    if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) {
      t.offset = is_encoded(t) ? blocks.at(t.offset) : relocate(t.offset);
    }
    append(s.tensors, t);
  }

  // Model-local tensor indices stay as they are; only where they sit moves.
  const uint32_t* io = seg.op_io;
  for (uint32_t i = 0; i < m.input_count + m.output_count; ++i) append(s.op_io, io[m.io_first + i]);
  for (uint32_t i = 0; i < m.op_count; ++i) {
    OpRecord op = seg.ops[m.first_op + i];
    const uint32_t old_io = op.io_first;
    op.io_first = static_cast<uint32_t>(s.op_io.size() / 4);
    for (uint32_t k = 0; k < op.input_count + op.output_count; ++k) append(s.op_io, io[old_io + k]);
    pad_to(s.params, 4);
    const uint8_t* params = seg.params + op.param_offset;
    op.param_offset = static_cast<uint32_t>(s.params.size());
    s.params.insert(s.params.end(), params, params + op.param_size);
    append(s.ops, op);
  }

  std::vector<uint8_t> out = pack_sections::assemble(s, !blocks.order().empty(), 1);
  // The result must be a pack the runtime accepts; anything else is a bug here.
  const AlignedBuffer aligned(out);
  Pack check;
  const Status status = Pack::open(aligned.data(), aligned.size(), &check);
  if (status != Status::kOk) {
    throw Error(std::string("single_model_pack: the extracted pack is invalid: ") +
                status_string(status));
  }
  return out;
}

}  // namespace yono
