// Sizes are derived from the records alone, following the writer's layout:
// every payload (values, codes, scales, codebook values) starts on a
// kPayloadAlign boundary in the weights section, so each is counted rounded
// up to it.
#include "yono/compiler/pack/pack_sizes.h"

#include <cstring>
#include <set>

#include "pack_sections.h"

namespace yono {
namespace {

uint64_t padded(uint64_t n) {
  constexpr uint64_t a = pack_sections::kPayloadAlign;
  return (n + a - 1) / a * a;
}

bool is_encoded(const TensorRecord& t) {
  return is_encoded_dtype(t.dtype);
}

// What a plain constant would take as f32 (an f16 bias is half of it).
uint64_t f32_bytes(const TensorRecord& t) {
  return uint64_t{t.size} / element_bytes(t.dtype) * 4;
}

const CodeBlockRecord& block_of(const PackSegment& seg, const TensorRecord& t) {
  return seg.code_blocks[t.offset];  // Pack::open checked the index
}

uint64_t name_bytes(const PackSegment& seg, uint32_t offset) {
  return std::strlen(seg.string_at(offset)) + 1;
}

uint64_t scale_bytes(const CodeBlockRecord& b) {
  return uint64_t{scale_dtype_bytes(static_cast<ScaleDType>(b.scale_dtype))} * b.rows;
}

// Bytes a constant takes in the weights section, plus its code-block record.
uint64_t stored_bytes(const PackSegment& seg, const TensorRecord& t) {
  if (!is_encoded(t)) return padded(t.size);
  const CodeBlockRecord& b = block_of(seg, t);
  return padded(b.data_size) + padded(scale_bytes(b)) + sizeof(CodeBlockRecord);
}

uint64_t rows_of(const TensorRecord& t) {
  return t.rank > 0 ? t.dims[0] : 1;
}

// Constant tensor indices (model-local) that are conv/dense weights.
std::set<uint32_t> weight_tensors(const PackSegment& seg, const ModelRecord& rec) {
  std::set<uint32_t> weights;
  for (uint32_t o = 0; o < rec.op_count; ++o) {
    const OpRecord& op = seg.ops[rec.first_op + o];
    const bool weighted = op.type == static_cast<uint16_t>(OpType::kConv) ||
                          op.type == static_cast<uint16_t>(OpType::kDense);
    if (!weighted || op.input_count < 2) continue;
    const uint32_t w = seg.op_io[op.io_first + 1];
    const TensorRecord& t = seg.tensors[rec.first_tensor + w];
    if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) weights.insert(w);
  }
  return weights;
}

const char* dtype_name(uint32_t dtype) {
  switch (static_cast<CodebookDType>(dtype)) {
    case CodebookDType::kF32: return "f32";
    case CodebookDType::kF16: return "f16";
    case CodebookDType::kI8: return "i8";
    case CodebookDType::kI16: return "i16";
  }
  return "unknown";
}

}  // namespace

WeightEncoding weight_encoding(const Pack& pack, const PackSegment& seg, const TensorRecord& t) {
  WeightEncoding e;
  if (is_encoded(t)) {
    const bool f16 = block_of(seg, t).scale_dtype == static_cast<uint16_t>(ScaleDType::kF16);
    e.scales = f16 ? "f16" : "f32";
  }
  if (t.dtype == static_cast<uint8_t>(DType::kI8PerChannel)) {
    e.kind = "int8";
  } else if (t.dtype == static_cast<uint8_t>(DType::kPq)) {
    const CodeBlockRecord& b = block_of(seg, t);
    const CodebookRecord& cb = pack.codebooks()[b.codebook];
    e.kind = "pq";
    e.codebook = b.codebook;
    e.k = cb.codeword_count;
    e.dim = cb.dim;
    e.code_bits = b.code_bits;
  }
  return e;
}

uint64_t constant_payload_bytes(const PackSegment& seg, const TensorRecord& t) {
  if (!is_encoded(t)) return t.size;
  const CodeBlockRecord& b = block_of(seg, t);
  return b.data_size + scale_bytes(b);
}

ModelSizes model_sizes(const Pack& pack, uint32_t m) {
  const ModelRecord& rec = pack.models()[m];
  const PackSegment& seg = pack.model_segment(m);
  ModelSizes s;
  uint64_t io = rec.input_count + rec.output_count;
  uint64_t params = 0;
  for (uint32_t o = 0; o < rec.op_count; ++o) {
    const OpRecord& op = seg.ops[rec.first_op + o];
    io += op.input_count + op.output_count;
    params += op.param_size;
  }
  s.metadata = sizeof(ModelRecord) + uint64_t{rec.tensor_count} * sizeof(TensorRecord) +
               uint64_t{rec.op_count} * sizeof(OpRecord) + io * 4 + params +
               name_bytes(seg, rec.name);

  const std::set<uint32_t> weights = weight_tensors(seg, rec);
  std::set<uint32_t> codebooks;
  // Biases and other plain constants: as stored, and as f32 for the
  // baselines (float32 and int8 layouts keep 4-byte biases).
  uint64_t other = 0, other_f32 = 0, weight_bytes = 0, weight_f32 = 0, weight_int8 = 0;
  for (uint32_t i = 0; i < rec.tensor_count; ++i) {
    const TensorRecord& t = seg.tensors[rec.first_tensor + i];
    s.metadata += name_bytes(seg, t.name);
    if (t.kind != static_cast<uint8_t>(TensorKind::kConstant)) continue;
    if (t.dtype == static_cast<uint8_t>(DType::kPq)) codebooks.insert(block_of(seg, t).codebook);
    if (weights.count(i) == 0 && !is_encoded(t)) {
      other += stored_bytes(seg, t);
      other_f32 += padded(f32_bytes(t));
      continue;
    }
    const uint64_t n = t.size / 4;  // decoded float count
    weight_bytes += stored_bytes(seg, t);
    if (is_encoded(t)) {
      const CodeBlockRecord& b = block_of(seg, t);
      (t.dtype == static_cast<uint8_t>(DType::kPq) ? s.codes : s.plain_weights) +=
          padded(b.data_size);
      s.scales_biases += padded(scale_bytes(b)) + sizeof(CodeBlockRecord);
    } else {
      s.plain_weights += padded(t.size);
    }
    weight_f32 += padded(4 * n);
    weight_int8 += padded(n) + padded(4 * rows_of(t)) + sizeof(CodeBlockRecord);
  }
  s.constants = other + weight_bytes;
  s.scales_biases += other;
  s.bytes = s.metadata + s.constants;
  s.if_f32 = s.metadata + other_f32 + weight_f32;
  s.if_int8 = s.metadata + other_f32 + weight_int8;
  s.codebooks.assign(codebooks.begin(), codebooks.end());
  return s;
}

std::vector<double> codebook_shares(const Pack& pack) {
  const std::vector<CodebookSize> books = codebook_sizes(pack);
  // use[c][m]: sub-vectors model m encodes with codebook c.
  std::vector<std::vector<uint64_t>> use(books.size(),
                                         std::vector<uint64_t>(pack.model_count(), 0));
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const ModelRecord& rec = pack.models()[m];
    const PackSegment& seg = pack.model_segment(m);
    for (uint32_t i = 0; i < rec.tensor_count; ++i) {
      const TensorRecord& t = seg.tensors[rec.first_tensor + i];
      if (t.kind != static_cast<uint8_t>(TensorKind::kConstant) ||
          t.dtype != static_cast<uint8_t>(DType::kPq))
        continue;
      const CodeBlockRecord& b = block_of(seg, t);
      use[b.codebook][m] += uint64_t{b.rows} * b.subvectors_per_row;
    }
  }
  std::vector<double> share(pack.model_count(), 0.0);
  for (size_t c = 0; c < books.size(); ++c) {
    uint64_t total = 0;
    for (uint64_t u : use[c]) total += u;
    if (total == 0) continue;  // an unused codebook is nobody's share
    for (uint32_t m = 0; m < pack.model_count(); ++m)
      share[m] += static_cast<double>(books[c].bytes) * static_cast<double>(use[c][m]) /
                  static_cast<double>(total);
  }
  return share;
}

std::vector<CodebookSize> codebook_sizes(const Pack& pack) {
  std::vector<CodebookSize> out;
  for (uint32_t c = 0; c < pack.codebook_count(); ++c) {
    const CodebookRecord& r = pack.codebooks()[c];
    CodebookSize s;
    s.name = pack.codebook_name(c);
    s.dtype = dtype_name(r.dtype);
    s.k = r.codeword_count;
    s.dim = r.dim;
    s.bytes = padded(r.data_size) + sizeof(CodebookRecord) + name_bytes(pack.segment(0), r.name);
    out.push_back(s);
  }
  return out;
}

Sizes pack_sizes(const Pack& pack) {
  Sizes models;
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    const ModelSizes s = model_sizes(pack, m);
    models.bytes += s.bytes;
    models.if_f32 += s.if_f32;
    models.if_int8 += s.if_int8;
  }
  uint64_t codebooks = 0;
  for (const CodebookSize& c : codebook_sizes(pack)) codebooks += c.bytes;
  // Header, section table and padding: whatever the records above do not
  // explain. Names shared by models are counted once per model above, so this
  // may be negative; it cancels out either way.
  const auto total = static_cast<int64_t>(pack.size());
  const int64_t framing =
      total - static_cast<int64_t>(models.bytes) - static_cast<int64_t>(codebooks);
  return {static_cast<uint64_t>(total),
          static_cast<uint64_t>(framing + static_cast<int64_t>(models.if_f32)),
          static_cast<uint64_t>(framing + static_cast<int64_t>(models.if_int8))};
}

}  // namespace yono
