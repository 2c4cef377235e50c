// Weight rows of the int8 Conv/Dense kernels as int16 lanes: per-channel
// int8 values are widened, PQ codes are looked up in an int8 or int16
// codebook. Decoding once per output channel into scratch is what the float
// PQ kernels do too; int16 is the DSP extension's operand width, so the
// inner loops see one operand type whatever the weights' storage.
#include "pq_decode.h"
#include "yono/kernels_s8.h"

namespace yono {

uint32_t s8_row_scratch_values(const S8Weights& w) {
  if (w.values != nullptr) return w.row_length;
  return w.pq.subvectors_per_row * w.pq.dim;
}

namespace {

template <typename Lane>
void copy_codewords(const Lane* codebook, const uint16_t* codes, uint32_t n, uint32_t dim,
                    int16_t* out) {
  for (uint32_t s = 0; s < n; ++s) {
    const Lane* word = codebook + static_cast<size_t>(codes[s]) * dim;
    for (uint32_t l = 0; l < dim; ++l) out[l] = static_cast<int16_t>(word[l]);
    out += dim;
  }
}

}  // namespace

void decode_row_s16(const S8Weights& w, uint32_t row, int16_t* out) {
  if (w.values != nullptr) {
    const int8_t* v = w.values + static_cast<size_t>(row) * w.row_length;
    for (uint32_t j = 0; j < w.row_length; ++j) out[j] = v[j];
    return;
  }
  const PqWeights& pq = w.pq;
  uint16_t codes[kernels::kPqCodeBatch];
  const uint32_t first = row * pq.subvectors_per_row;
  for (uint32_t done = 0; done < pq.subvectors_per_row; done += kernels::kPqCodeBatch) {
    uint32_t n = pq.subvectors_per_row - done;
    if (n > kernels::kPqCodeBatch) n = kernels::kPqCodeBatch;
    kernels::unpack_codes(pq.codes, pq.code_bits, first + done, n, codes);
    if (pq.codebook_dtype == CodebookDType::kI16) {
      copy_codewords(static_cast<const int16_t*>(pq.codebook), codes, n, pq.dim, out);
    } else if (pq.codebook_dtype == CodebookDType::kI8) {
      copy_codewords(static_cast<const int8_t*>(pq.codebook), codes, n, pq.dim, out);
    } else {  // rejected by the int8 ops' validation; zeros rather than garbage
      for (uint32_t i = 0; i < n * pq.dim; ++i) out[i] = 0;
    }
    out += static_cast<size_t>(n) * pq.dim;
  }
}

}  // namespace yono
