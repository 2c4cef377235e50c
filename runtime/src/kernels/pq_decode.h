// Shared by the product-quantized kernels: turns a run of consecutive codes
// into scaled float weights. Codes are unpacked in small batches, so the bit
// stream is read once with a fixed stack footprint, and the codebook dtype is
// dispatched once per batch rather than once per weight. Each weight is
// formed exactly as pq.h defines it (scales[o] * codeword value), so kernels
// that then run the float kernel's loop give bitwise the float result.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "yono/bitpack.h"
#include "yono/half_float.h"
#include "yono/pq.h"

namespace yono {
namespace kernels {

constexpr uint32_t kPqCodeBatch = 32;  // 64 bytes of stack

// bitpack_unpack with the widths the compressor emits most (K = 256, 4096,
// 65536) inlined: 12-bit codes come in pairs that share three bytes.
inline void unpack_codes(const uint8_t* data, uint32_t bits, uint32_t first, uint32_t count,
                         uint16_t* out) {
  if (bits == 8u) {
    const uint8_t* p = data + first;
    for (uint32_t i = 0; i < count; ++i) out[i] = p[i];
  } else if (bits == 16u) {
    const uint8_t* p = data + static_cast<size_t>(first) * 2u;
    for (uint32_t i = 0; i < count; ++i) {
      out[i] = static_cast<uint16_t>(p[2u * i] | (static_cast<uint32_t>(p[2u * i + 1u]) << 8u));
    }
  } else if (bits == 12u) {
    uint32_t i = 0;
    if ((first & 1u) != 0u && count != 0u) {  // odd code: upper half of a pair
      out[i++] = static_cast<uint16_t>(bitpack_get(data, 12u, first));
    }
    const uint8_t* p = data + static_cast<size_t>((first + i) / 2u) * 3u;
    for (; i + 2u <= count; i += 2u, p += 3u) {
      const uint32_t pair =
          p[0] | (static_cast<uint32_t>(p[1]) << 8u) | (static_cast<uint32_t>(p[2]) << 16u);
      out[i] = static_cast<uint16_t>(pair & 0xfffu);
      out[i + 1u] = static_cast<uint16_t>(pair >> 12u);
    }
    // A lone even code ends inside p[1]; p[2] may lie past the buffer.
    if (i < count) out[i] = static_cast<uint16_t>(p[0] | ((p[1] & 0xfu) << 8u));
  } else {
    bitpack_unpack(data, bits, first, count, out);
  }
}

// Codeword lane readers, one per CodebookDType.
struct F32Lanes {
  const float* base;
  float operator()(size_t i) const { return base[i]; }
};
struct F16Lanes {
  const uint16_t* base;
  float operator()(size_t i) const { return half_to_float(base[i]); }
};
struct I8Lanes {
  const int8_t* base;
  float scale;
  float operator()(size_t i) const { return static_cast<float>(base[i]) * scale; }
};
struct I16Lanes {
  const int16_t* base;
  float scale;
  float operator()(size_t i) const { return static_cast<float>(base[i]) * scale; }
};

// kDim == 0: the sub-vector length is only known at run time. The lengths
// the zoo presets emit for convolutions (3: a 1-D kernel row, 9: a 3x3 slice,
// 4: the 1x1 group) are instances so the lane loop is straight-line code; on
// an in-order core the loop overhead was as large as the decode itself. Each
// instance costs flash, so the list stays short.
template <uint32_t kDim, class Lanes>
inline void scale_codewords_dim(Lanes lanes, const uint16_t* codes, uint32_t n, uint32_t dim,
                                float scale, float* out) {
  const uint32_t d = (kDim != 0u) ? kDim : dim;
  for (uint32_t s = 0; s < n; ++s) {
    const size_t base = static_cast<size_t>(codes[s]) * d;
#pragma GCC unroll 9
    for (uint32_t l = 0; l < d; ++l) out[l] = scale * lanes(base + l);
    out += d;
  }
}

template <class Lanes>
inline void scale_codewords(Lanes lanes, const uint16_t* codes, uint32_t n, uint32_t dim,
                            float scale, float* out) {
  switch (dim) {
    case 3: scale_codewords_dim<3>(lanes, codes, n, dim, scale, out); break;
    case 4: scale_codewords_dim<4>(lanes, codes, n, dim, scale, out); break;
    case 9: scale_codewords_dim<9>(lanes, codes, n, dim, scale, out); break;
    default: scale_codewords_dim<0>(lanes, codes, n, dim, scale, out); break;
  }
}

// Writes sub-vectors [first, first + count) as count * dim floats to `out`,
// every lane multiplied by `scale` (the output channel's scale).
inline void decode_subvectors(const PqWeights& w, uint32_t first, uint32_t count, float scale,
                              float* out) {
  uint16_t codes[kPqCodeBatch];
  for (uint32_t done = 0; done < count; done += kPqCodeBatch) {
    uint32_t n = count - done;
    if (n > kPqCodeBatch) n = kPqCodeBatch;
    unpack_codes(w.codes, w.code_bits, first + done, n, codes);
    switch (w.codebook_dtype) {
      case CodebookDType::kF32:
        scale_codewords(F32Lanes{static_cast<const float*>(w.codebook)}, codes, n, w.dim, scale,
                        out);
        break;
      case CodebookDType::kF16:
        scale_codewords(F16Lanes{static_cast<const uint16_t*>(w.codebook)}, codes, n, w.dim, scale,
                        out);
        break;
      case CodebookDType::kI8:
        scale_codewords(I8Lanes{static_cast<const int8_t*>(w.codebook), w.codebook_scale}, codes, n,
                        w.dim, scale, out);
        break;
      case CodebookDType::kI16:
        scale_codewords(I16Lanes{static_cast<const int16_t*>(w.codebook), w.codebook_scale}, codes,
                        n, w.dim, scale, out);
        break;
      default:  // rejected by the pack validator; zeros rather than garbage
        for (uint32_t i = 0; i < n * w.dim; ++i) out[i] = 0.0f;
        break;
    }
    out += static_cast<size_t>(n) * w.dim;
  }
}

}  // namespace kernels
}  // namespace yono
