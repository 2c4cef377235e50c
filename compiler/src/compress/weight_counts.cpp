// Bytes of a compressed model's weights as the pack stores them, for the
// summary `yono compress` prints.
#include <variant>

#include "yono/bitpack.h"
#include "yono/compiler/compress/compress.h"

namespace yono {

WeightCounts count_weights(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks) {
  WeightCounts c;
  for (const ir::Op& op : g.ops) {
    const bool weighted = std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
                          std::holds_alternative<ir::DenseAttrs>(op.attrs);
    if (!weighted || op.inputs.size() < 2) continue;
    const ir::Tensor& t = g.tensors[static_cast<size_t>(op.inputs[1])];
    if (!t.is_constant) continue;
    const uint64_t n = t.data.size();
    c.float_bytes += 4 * n;
    if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
      ++c.pq;
      const uint32_t bits =
          code_bits_for(codebooks[static_cast<size_t>(pq->codebook)].codeword_count);
      c.stored_bytes += (pq->codes.size() * bits + 7) / 8 + 4 * pq->scales.size();
    } else if (const auto* i8 = std::get_if<ir::Int8Encoding>(&t.encoding)) {
      ++c.int8;
      c.stored_bytes += i8->values.size() + 4 * i8->scales.size();
    } else {
      ++c.f32;
      c.stored_bytes += 4 * n;
    }
  }
  return c;
}

}  // namespace yono
