// Product-quantized fully-connected layer. Each weight is used once, so
// codewords are decoded straight into the dot product: weight = scale * lane
// exactly as the decoder forms it, accumulated in dense_f32's order, so the
// result is bitwise the float kernel's on the decoded weights. The decode is
// independent of the accumulator, so an out-of-order core overlaps it with the
// latency-bound sum; decoding a chunk into scratch first was 2x slower on
// x86-64 because a whole chunk's sum no longer fit the reorder window.
// The codebook dtype and the common sub-vector lengths are template
// parameters so the per-lane loop is straight-line code.
#include "clamp.h"
#include "pq_decode.h"
#include "yono/pq.h"

namespace yono {

namespace {

// kDim == 0: the sub-vector length is only known at run time.
template <uint32_t kDim, class Lanes>
void dense_rows(const DenseParams& p, const PqWeights& w, Lanes lanes, const float* input,
                ChannelValues bias, float* output) {
  const uint32_t dim = (kDim != 0u) ? kDim : w.dim;
  // Sub-vectors wholly inside the row; the padded last one is done apart so
  // the hot loop has a constant trip count.
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
      kernels::unpack_codes(w.codes, w.code_bits, first + done, n, codes);
      for (uint32_t s = 0; s < n; ++s) {
        const size_t base = static_cast<size_t>(codes[s]) * dim;
        for (uint32_t l = 0; l < dim; ++l) acc += (scale * lanes(base + l)) * x[l];
        x += dim;
      }
    }
    if (tail != 0u) {
      const size_t base =
          static_cast<size_t>(bitpack_get(w.codes, w.code_bits, first + full)) * dim;
      for (uint32_t l = 0; l < tail; ++l) acc += (scale * lanes(base + l)) * x[l];
    }
    output[o] = kernels::clamp(acc, p.act_min, p.act_max);
  }
}

template <class Lanes>
void dense_dispatch_dim(const DenseParams& p, const PqWeights& w, Lanes lanes, const float* input,
                        ChannelValues bias, float* output) {
  switch (w.dim) {
    case 4: dense_rows<4>(p, w, lanes, input, bias, output); break;
    case 8: dense_rows<8>(p, w, lanes, input, bias, output); break;
    default: dense_rows<0>(p, w, lanes, input, bias, output); break;
  }
}

}  // namespace

uint32_t dense_pq_scratch_floats(const DenseParams& p, const PqWeights& w) {
  (void)p;
  (void)w;
  return 0;
}

void dense_pq_f32(const DenseParams& p, const PqWeights& w, const float* input, ChannelValues bias,
                  float* output, float* scratch) {
  (void)scratch;
  switch (w.codebook_dtype) {
    case CodebookDType::kF32:
      dense_dispatch_dim(p, w, kernels::F32Lanes{static_cast<const float*>(w.codebook)}, input,
                         bias, output);
      break;
    case CodebookDType::kF16:
      dense_dispatch_dim(p, w, kernels::F16Lanes{static_cast<const uint16_t*>(w.codebook)}, input,
                         bias, output);
      break;
    case CodebookDType::kI8:
      dense_dispatch_dim(p, w,
                         kernels::I8Lanes{static_cast<const int8_t*>(w.codebook), w.codebook_scale},
                         input, bias, output);
      break;
    case CodebookDType::kI16:
      dense_dispatch_dim(
          p, w, kernels::I16Lanes{static_cast<const int16_t*>(w.codebook), w.codebook_scale}, input,
          bias, output);
      break;
    default:  // rejected by the pack validator
      for (uint32_t o = 0; o < p.out_features; ++o) output[o] = 0.0f;
      break;
  }
}

}  // namespace yono
