// Product-quantized convolution. Decoding one output channel's weight row into
// scratch and then running exactly conv_f32's loop nest keeps results bitwise
// equal to the float kernel on the decoded weights, while the decode is paid
// once per channel rather than once per output position.
#include "clamp.h"
#include "pq_decode.h"
#include "yono/bitpack.h"
#include "yono/pq.h"

namespace yono {

namespace {

// Writes subvectors_per_row whole codewords (scaled) to `row`.
void decode_row(const PqWeights& w, uint32_t oc, float* row) {
  const float scale = w.scales[oc];
  const uint32_t first = oc * w.subvectors_per_row;
  uint16_t codes[kernels::kPqCodeBatch];
  for (uint32_t done = 0; done < w.subvectors_per_row; done += kernels::kPqCodeBatch) {
    uint32_t n = w.subvectors_per_row - done;
    if (n > kernels::kPqCodeBatch) n = kernels::kPqCodeBatch;
    bitpack_unpack(w.codes, w.code_bits, first + done, n, codes);
    for (uint32_t s = 0; s < n; ++s) {
      const float* codeword = static_cast<const float*>(w.codebook) + static_cast<size_t>(codes[s]) * w.dim;
      for (uint32_t l = 0; l < w.dim; ++l) row[l] = scale * codeword[l];
      row += w.dim;
    }
  }
}

}  // namespace

uint32_t conv_pq_scratch_floats(const ConvParams& p, const PqWeights& w) {
  (void)p;
  return w.subvectors_per_row * w.dim;
}

void conv_pq_f32(const ConvParams& p, const PqWeights& w, const float* input, const float* bias,
                 float* output, float* scratch) {
  const uint32_t in_per_group = p.in_c / p.groups;
  const uint32_t out_per_group = p.out_c / p.groups;
  const uint32_t taps = p.kh * p.kw;
  const int32_t in_h = static_cast<int32_t>(p.in_h);
  const int32_t in_w = static_cast<int32_t>(p.in_w);

  for (uint32_t oc = 0; oc < p.out_c; ++oc) {
    const uint32_t first_ic = (oc / out_per_group) * in_per_group;
    decode_row(w, oc, scratch);
    const float* filter = scratch;
    const float start = (p.has_bias != 0u) ? bias[oc] : 0.0f;

    for (uint32_t oy = 0; oy < p.out_h; ++oy) {
      const int32_t y0 = static_cast<int32_t>(oy * p.stride_h) - static_cast<int32_t>(p.pad_top);
      for (uint32_t ox = 0; ox < p.out_w; ++ox) {
        const int32_t x0 = static_cast<int32_t>(ox * p.stride_w) - static_cast<int32_t>(p.pad_left);
        float acc = start;
        for (uint32_t icg = 0; icg < in_per_group; ++icg) {
          const float* plane = input + static_cast<size_t>(first_ic + icg) * p.in_h * p.in_w;
          const float* kernel = filter + static_cast<size_t>(icg) * taps;
          for (uint32_t ky = 0; ky < p.kh; ++ky) {
            const int32_t iy = y0 + static_cast<int32_t>(ky * p.dilation_h);
            if (iy < 0 || iy >= in_h) continue;
            for (uint32_t kx = 0; kx < p.kw; ++kx) {
              const int32_t ix = x0 + static_cast<int32_t>(kx * p.dilation_w);
              if (ix < 0 || ix >= in_w) continue;
              acc += plane[iy * in_w + ix] * kernel[ky * p.kw + kx];
            }
          }
        }
        output[(static_cast<size_t>(oc) * p.out_h + oy) * p.out_w + ox] =
            kernels::clamp(acc, p.act_min, p.act_max);
      }
    }
  }
}

}  // namespace yono
