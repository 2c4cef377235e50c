// The int8 dense layer. Each weight is used once, so nothing is gained by
// decoding rows into scratch: the input is widened once into scratch as
// int16 x - zero point, and two rows at a time stream their weights straight
// from storage into dual multiply-accumulates -- four int8 weights by
// SXTB16 into (w0, w2) and (w1, w3) lanes (the input is stored in that order
// per group of four), or PQ codewords of an int16 codebook read in place.
// Other weight storage decodes a row at a time. Accumulators wrap, so every
// path gives the reference loop's bits.
#include "pq_decode.h"
#include "s8_lanes.h"
#include "yono/kernels_s8.h"
#include "yono/requant.h"

namespace yono {
namespace {

using kernels::dual_mac;
using kernels::finish;
using kernels::load_pair;

// Per-channel int8 weights. x: the input, groups of four as (x0, x2, x1, x3).
void dense_values(const DenseParams& p, const int8_t* values, const int16_t* x, const int32_t* bias,
                  const S8Output& o, int8_t* output) {
  const uint32_t n = p.in_features, quads = n / 4u;
  auto tail = [&](const int8_t* w, int32_t acc) {
    for (uint32_t i = quads * 4u; i < n; ++i) acc = wrap_add(acc, int32_t{x[i]} * w[i]);
    return acc;
  };
  uint32_t oc = 0;
  for (; oc + 2u <= p.out_features; oc += 2u) {
    const int8_t* w0 = values + static_cast<size_t>(oc) * n;
    const int8_t* w1 = w0 + n;
    int32_t a0 = bias[oc], a1 = bias[oc + 1u];
    for (uint32_t q = 0; q < quads; ++q) {
      const uint32_t x02 = load_pair(x + 4u * q), x13 = load_pair(x + 4u * q + 2u);
      const uint32_t v0 = kernels::load_word(w0 + 4u * q), v1 = kernels::load_word(w1 + 4u * q);
      a0 = dual_mac(kernels::even_bytes(v0), x02, a0);
      a0 = dual_mac(kernels::odd_bytes(v0), x13, a0);
      a1 = dual_mac(kernels::even_bytes(v1), x02, a1);
      a1 = dual_mac(kernels::odd_bytes(v1), x13, a1);
    }
    output[oc] = finish(tail(w0, a0), o.requant[oc], o);
    output[oc + 1u] = finish(tail(w1, a1), o.requant[oc + 1u], o);
  }
  if (oc < p.out_features) {
    const int8_t* w0 = values + static_cast<size_t>(oc) * n;
    int32_t a0 = bias[oc];
    for (uint32_t q = 0; q < quads; ++q) {
      const uint32_t v0 = kernels::load_word(w0 + 4u * q);
      a0 = dual_mac(kernels::even_bytes(v0), load_pair(x + 4u * q), a0);
      a0 = dual_mac(kernels::odd_bytes(v0), load_pair(x + 4u * q + 2u), a0);
    }
    output[oc] = finish(tail(w0, a0), o.requant[oc], o);
  }
}

// One codeword (kDim lanes, or `dim` when kDim is 0) times its input lanes.
template <uint32_t kDim>
inline int32_t codeword_dot(const int16_t* c, const int16_t* x, uint32_t dim, int32_t acc) {
  const uint32_t d = kDim > 0 ? kDim : dim;
  uint32_t l = 0;
  for (; l + 2u <= d; l += 2u) acc = dual_mac(load_pair(c + l), load_pair(x + l), acc);
  if (l < d) acc = wrap_add(acc, int32_t{c[l]} * x[l]);
  return acc;
}

// Byte codes over an int16 codebook. x: the input in order, 0 past
// in_features up to whole codewords.
template <uint32_t kDim>
void dense_codewords(const DenseParams& p, const PqWeights& pq, const int16_t* x,
                     const int32_t* bias, const S8Output& o, int8_t* output) {
  const uint32_t d = kDim > 0 ? kDim : pq.dim, subvectors = pq.subvectors_per_row;
  const int16_t* codebook = static_cast<const int16_t*>(pq.codebook);
  uint32_t oc = 0;
  for (; oc + 2u <= p.out_features; oc += 2u) {
    const uint8_t* c0 = pq.codes + static_cast<size_t>(oc) * subvectors;
    const uint8_t* c1 = c0 + subvectors;
    int32_t a0 = bias[oc], a1 = bias[oc + 1u];
    for (uint32_t s = 0; s < subvectors; ++s) {
      const int16_t* xs = x + static_cast<size_t>(s) * d;
      a0 = codeword_dot<kDim>(codebook + static_cast<size_t>(c0[s]) * d, xs, d, a0);
      a1 = codeword_dot<kDim>(codebook + static_cast<size_t>(c1[s]) * d, xs, d, a1);
    }
    output[oc] = finish(a0, o.requant[oc], o);
    output[oc + 1u] = finish(a1, o.requant[oc + 1u], o);
  }
  if (oc < p.out_features) {
    const uint8_t* c0 = pq.codes + static_cast<size_t>(oc) * subvectors;
    int32_t a0 = bias[oc];
    for (uint32_t s = 0; s < subvectors; ++s)
      a0 = codeword_dot<kDim>(codebook + static_cast<size_t>(c0[s]) * d,
                              x + static_cast<size_t>(s) * d, d, a0);
    output[oc] = finish(a0, o.requant[oc], o);
  }
}

// Anything else: a row decoded at a time, the plain loop.
void dense_rows(const DenseParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
                const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  for (uint32_t oc = 0; oc < p.out_features; ++oc) {
    decode_row_s16(w, oc, scratch);
    int32_t acc = bias[oc];
    for (uint32_t i = 0; i < p.in_features; ++i)
      acc = wrap_add(acc, (int32_t{input[i]} - in_zp) * scratch[i]);
    output[oc] = finish(acc, o.requant[oc], o);
  }
}

}  // namespace

void dense_s8(const DenseParams& p, const S8Weights& w, const int8_t* input, int32_t in_zp,
              const int32_t* bias, const S8Output& o, int8_t* output, int16_t* scratch) {
  const uint32_t n = p.in_features;
  if (w.values != nullptr) {  // scratch: one row of n values holds the input
    const uint32_t quads = n / 4u;
    for (uint32_t q = 0; q < quads; ++q) {
      const int8_t* in = input + 4u * q;
      int16_t* x = scratch + 4u * q;
      x[0] = static_cast<int16_t>(in[0] - in_zp), x[1] = static_cast<int16_t>(in[2] - in_zp);
      x[2] = static_cast<int16_t>(in[1] - in_zp), x[3] = static_cast<int16_t>(in[3] - in_zp);
    }
    for (uint32_t i = quads * 4u; i < n; ++i) scratch[i] = static_cast<int16_t>(input[i] - in_zp);
    dense_values(p, w.values, scratch, bias, o, output);
    return;
  }
  const PqWeights& pq = w.pq;
  if (pq.code_bits != 8u || pq.codebook_dtype != CodebookDType::kI16) {
    dense_rows(p, w, input, in_zp, bias, o, output, scratch);
    return;
  }
  // Scratch: whole codewords' lanes (s8_row_scratch_values), zero past n.
  const uint32_t lanes = pq.subvectors_per_row * pq.dim;
  kernels::widen_s8(input, in_zp, n, scratch);
  for (uint32_t i = n; i < lanes; ++i) scratch[i] = 0;
  switch (pq.dim) {
    case 3: dense_codewords<3>(p, pq, scratch, bias, o, output); break;
    case 4: dense_codewords<4>(p, pq, scratch, bias, o, output); break;
    case 9: dense_codewords<9>(p, pq, scratch, bias, o, output); break;
    default: dense_codewords<0>(p, pq, scratch, bias, o, output); break;
  }
}

}  // namespace yono
