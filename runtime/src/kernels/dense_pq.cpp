// Product-quantized fully-connected layer. Each weight is used once, so a
// decoded row would be written and read back for nothing: codewords are
// scaled straight into the dot product instead. The weight is formed as
// scale * codeword lane exactly as the decoder would, so the result is bitwise
// equal to dense_f32 on the decoded weights; the extra multiply is off the
// accumulation's dependency chain, which is what bounds a scalar dot product.
#include "clamp.h"
#include "pq_decode.h"
#include "yono/bitpack.h"
#include "yono/pq.h"

namespace yono {

uint32_t dense_pq_scratch_floats(const DenseParams& p, const PqWeights& w) {
  (void)p;
  (void)w;
  return 0;
}

void dense_pq_f32(const DenseParams& p, const PqWeights& w, const float* input, const float* bias,
                  float* output, float* scratch) {
  (void)scratch;
  const uint32_t dim = w.dim;
  // Sub-vectors that lie wholly inside the row; the padded tail is handled
  // separately so the hot loop has a constant trip count.
  const uint32_t full = p.in_features / dim;
  const uint32_t tail = p.in_features - full * dim;
  uint16_t codes[kernels::kPqCodeBatch];

  for (uint32_t o = 0; o < p.out_features; ++o) {
    const float scale = w.scales[o];
    const uint32_t first = o * w.subvectors_per_row;
    const float* x = input;
    float acc = (p.has_bias != 0u) ? bias[o] : 0.0f;
    for (uint32_t done = 0; done < full; done += kernels::kPqCodeBatch) {
      uint32_t n = full - done;
      if (n > kernels::kPqCodeBatch) n = kernels::kPqCodeBatch;
      bitpack_unpack(w.codes, w.code_bits, first + done, n, codes);
      for (uint32_t s = 0; s < n; ++s) {
        const float* codeword = static_cast<const float*>(w.codebook) + static_cast<size_t>(codes[s]) * dim;
        for (uint32_t l = 0; l < dim; ++l) acc += (scale * codeword[l]) * x[l];
        x += dim;
      }
    }
    if (tail != 0u) {
      const uint32_t code = bitpack_get(w.codes, w.code_bits, first + full);
      const float* codeword = static_cast<const float*>(w.codebook) + static_cast<size_t>(code) * dim;
      for (uint32_t l = 0; l < tail; ++l) acc += (scale * codeword[l]) * x[l];
    }
    output[o] = kernels::clamp(acc, p.act_min, p.act_max);
  }
}

}  // namespace yono
