// Weight rows of the int8 Conv/Dense kernels as int16 lanes: per-channel
// int8 values are widened, PQ codes are looked up in an int8 or int16
// codebook. Decoding once per output channel into scratch is what the float
// PQ kernels do too; int16 is the DSP extension's operand width, so the
// inner loops see one operand type whatever the weights' storage.
#include "pq_decode.h"
#include "s8_lanes.h"
#include "yono/kernels_s8.h"

namespace yono {

uint32_t s8_row_scratch_values(const S8Weights& w) {
  if (w.values != nullptr) return w.row_length;
  return w.pq.subvectors_per_row * w.pq.dim;
}

namespace {

// Other code widths and int8 codebooks: code by code, lane by lane.
template <typename Lane>
void copy_codewords(const Lane* codebook, const uint16_t* codes, uint32_t n, uint32_t dim,
                    int16_t* out) {
  for (uint32_t s = 0; s < n; ++s) {
    const Lane* word = codebook + static_cast<size_t>(codes[s]) * dim;
    for (uint32_t l = 0; l < dim; ++l) out[l] = static_cast<int16_t>(word[l]);
    out += dim;
  }
}

// The zoo's case: byte codes over an int16 codebook, read straight from the
// code bytes, each codeword copied as whole words (kDim > 0 fixed; unaligned
// word accesses are allowed on the cores this targets and on the host).
template <uint32_t kDim>
void copy_i16_words(const int16_t* codebook, const uint8_t* codes, uint32_t n, uint32_t dim,
                    int16_t* out) {
  const uint32_t d = kDim > 0 ? kDim : dim;
  for (uint32_t s = 0; s < n; ++s, out += d) {
    const int16_t* word = codebook + static_cast<size_t>(codes[s]) * d;
    uint32_t l = 0;
    for (; l + 2u <= d; l += 2u) {
      uint32_t pair;
      __builtin_memcpy(&pair, word + l, 4);
      __builtin_memcpy(out + l, &pair, 4);
    }
    if (l < d) out[l] = word[l];
  }
}

}  // namespace

void decode_row_s16(const S8Weights& w, uint32_t row, int16_t* out) {
  if (w.values != nullptr) {
    kernels::widen_s8(w.values + static_cast<size_t>(row) * w.row_length, 0, w.row_length, out);
    return;
  }
  const PqWeights& pq = w.pq;
  if (pq.code_bits == 8u && pq.codebook_dtype == CodebookDType::kI16) {
    const int16_t* codebook = static_cast<const int16_t*>(pq.codebook);
    const uint8_t* codes = pq.codes + static_cast<size_t>(row) * pq.subvectors_per_row;
    const uint32_t n = pq.subvectors_per_row;
    switch (pq.dim) {
      case 3: copy_i16_words<3>(codebook, codes, n, pq.dim, out); break;
      case 4: copy_i16_words<4>(codebook, codes, n, pq.dim, out); break;
      case 9: copy_i16_words<9>(codebook, codes, n, pq.dim, out); break;
      default: copy_i16_words<0>(codebook, codes, n, pq.dim, out); break;
    }
    return;
  }
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
