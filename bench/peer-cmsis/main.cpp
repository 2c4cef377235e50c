// Peer benchmark: every layer of layers.cpp run by yono's float32 kernel,
// yono's int8 kernel with per-channel int8 weights, yono's int8 kernel with
// PQ weights (K = 256 int16 codebook) and CMSIS-NN's int8 kernel, on the same
// data. The PQ codebook holds int8-range values, so the weights it decodes to
// are exactly the int8 weights the other two integer kernels get: all three
// must give the same output bytes (CMSIS-NN in NHWC, yono channel-major),
// which the report states per layer, so the counts compare the same work.
//
// Report lines (semihosting; `./run bench-peer` turns them into JSON):
//   LAYER <suite> <name> macs=<n> f32=<ticks> i8=<ticks> pq=<ticks> cmsis=<ticks> same=<0|1>
//   DONE
// Ticks are SysTick counts; under QEMU -icount shift=5 an instruction is 0.8
// of a tick (the run script converts). 0 means the kernel does not apply.
#include <string.h>

#include "board.h"
#include "layers.h"
#include "report.h"

extern "C" {
#include "arm_nnfunctions.h"
}
#include "yono/kernels.h"
#include "yono/kernels_s8.h"

namespace {

using peer::Kind;
using peer::Layer;

constexpr uint32_t kMaxActivation = 32000;  // fsdd's 64 x 25 x 20 maps
constexpr uint32_t kMaxWeights = 1024 * 128;
constexpr uint32_t kCodebookK = 256;
constexpr uint32_t kMaxDim = 9;
constexpr uint32_t kPlannerColumns = 16;

int8_t g_in[kMaxActivation], g_in_nhwc[kMaxActivation], g_in2[kMaxActivation];
int8_t g_out_i8[kMaxActivation], g_out_pq[kMaxActivation], g_out_cmsis[kMaxActivation];
float g_in_f32[kMaxActivation], g_in2_f32[kMaxActivation], g_out_f32[kMaxActivation];
int8_t g_weights[kMaxWeights], g_weights_cmsis[kMaxWeights];
float g_weights_f32[kMaxWeights];
uint8_t g_codes[kMaxWeights / 4 + 16];
int16_t g_codebook[kCodebookK * kMaxDim];
int32_t g_bias[1024], g_multiplier[1024], g_shift[1024];
yono::RequantEntry g_requant[1024];
float g_bias_f32[1024];
alignas(4) int16_t g_scratch[16384];
alignas(4) uint8_t g_cmsis_buffer[65536];

uint32_t g_seed = 12345u;
uint32_t next_random() {  // xorshift32: the same data on both boards
  g_seed ^= g_seed << 13;
  g_seed ^= g_seed >> 17;
  g_seed ^= g_seed << 5;
  return g_seed;
}
int32_t random_in(int32_t lo, int32_t hi) {
  return lo + static_cast<int32_t>(next_random() % static_cast<uint32_t>(hi - lo + 1));
}

uint32_t out_extent(uint32_t in, uint32_t stride) {  // "same" padding
  return (in - 1u) / stride + 1u;
}

struct Timed {
  uint64_t t0 = ticks_now();
  uint64_t stop() const { return ticks_now() - t0; }
};

// Per output channel: bias and a requantization that maps the accumulators'
// spread onto int8 (positive multipliers, as CMSIS-NN expects).
void make_requant(uint32_t channels, uint32_t row_length) {
  int32_t shift = -8;
  for (uint32_t r = row_length; r > 1u; r /= 4u) --shift;
  for (uint32_t c = 0; c < channels; ++c) {
    g_bias[c] = random_in(-4000, 4000);
    g_bias_f32[c] = static_cast<float>(g_bias[c]) * 1e-4f;
    g_multiplier[c] = (1 << 30) + random_in(0, (1 << 30) - 1);
    g_shift[c] = shift;
    g_requant[c] = yono::RequantEntry{g_multiplier[c], g_shift[c]};
  }
}

// rows x row_length weights: PQ codes over a random codebook, decoded into
// g_weights (int8 range) and g_weights_f32.
yono::S8Weights make_weights(uint32_t rows, uint32_t row_length, uint32_t dim,
                             yono::S8Weights* pq) {
  const uint32_t d = dim == 0 ? 4u : dim;
  const uint32_t subvectors = (row_length + d - 1u) / d;
  for (uint32_t i = 0; i < kCodebookK * d; ++i)
    g_codebook[i] = static_cast<int16_t>(random_in(-127, 127));
  for (uint32_t i = 0; i < rows * subvectors; ++i) g_codes[i] = static_cast<uint8_t>(next_random());
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t j = 0; j < row_length; ++j) {
      const int16_t v = g_codebook[g_codes[r * subvectors + j / d] * d + j % d];
      g_weights[r * row_length + j] = static_cast<int8_t>(v);
      g_weights_f32[r * row_length + j] = static_cast<float>(v) * 1e-2f;
    }
  }
  *pq = yono::S8Weights{};
  pq->values = nullptr;
  pq->pq.codebook = g_codebook;
  pq->pq.codebook_dtype = yono::CodebookDType::kI16;
  pq->pq.codebook_scale = 1.0f;
  pq->pq.dim = d;
  pq->pq.codeword_count = kCodebookK;
  pq->pq.codes = g_codes;
  pq->pq.code_bits = 8;
  pq->pq.subvectors_per_row = subvectors;
  pq->row_length = row_length;
  yono::S8Weights w{};
  w.values = g_weights;
  w.row_length = row_length;
  return w;
}

void fill_input(uint32_t n, int8_t* s8, float* f32) {
  for (uint32_t i = 0; i < n; ++i) {
    s8[i] = static_cast<int8_t>(random_in(-128, 127));
    f32[i] = static_cast<float>(s8[i]) * (1.0f / 64.0f);
  }
}

// Channel-major [c][h][w] -> NHWC [h][w][c].
void to_nhwc(const int8_t* chw, uint32_t c, uint32_t hw, int8_t* hwc) {
  for (uint32_t ch = 0; ch < c; ++ch)
    for (uint32_t i = 0; i < hw; ++i) hwc[i * c + ch] = chw[ch * hw + i];
}

bool same_as_nhwc(const int8_t* chw, const int8_t* hwc, uint32_t c, uint32_t hw) {
  for (uint32_t ch = 0; ch < c; ++ch)
    for (uint32_t i = 0; i < hw; ++i)
      if (chw[ch * hw + i] != hwc[i * c + ch]) return false;
  return true;
}

struct Result {
  uint64_t macs = 0, f32 = 0, i8 = 0, pq = 0, cmsis = 0;
  bool same = false;
};

Result run_conv(const Layer& l) {
  const bool depthwise = l.kind == Kind::kDepthwise;
  yono::ConvParams p{};
  p.in_c = l.in_c, p.in_h = l.in_h, p.in_w = l.in_w, p.out_c = l.out_c;
  p.kh = l.kh, p.kw = l.kw, p.stride_h = l.in_h == 1 ? 1u : l.stride, p.stride_w = l.stride;
  p.out_h = out_extent(l.in_h, p.stride_h), p.out_w = out_extent(l.in_w, p.stride_w);
  p.dilation_h = p.dilation_w = 1, p.pad_top = (l.kh - 1u) / 2u, p.pad_left = (l.kw - 1u) / 2u;
  p.groups = depthwise ? l.in_c : 1u, p.has_bias = 1, p.act_min = 0.0f, p.act_max = 1e30f;
  const uint32_t row_length = l.in_c / p.groups * l.kh * l.kw;
  const uint32_t in_hw = l.in_h * l.in_w, out_hw = p.out_h * p.out_w;
  Result r;
  r.macs = uint64_t{l.out_c} * out_hw * row_length;

  fill_input(l.in_c * in_hw, g_in, g_in_f32);
  yono::S8Weights pq;
  const yono::S8Weights w = make_weights(l.out_c, row_length, l.pq_dim, &pq);
  make_requant(l.out_c, row_length);
  const int32_t in_zp = random_in(-20, 20), out_zp = random_in(-20, 20);
  const yono::S8Output o{g_requant, out_zp, out_zp, 127};  // a fused ReLU: clamp at the zero point

  {
    const Timed t;
    yono::conv_f32(p, g_in_f32, g_weights_f32, yono::ChannelValues(g_bias_f32), g_out_f32);
    r.f32 = t.stop();
  }
  // The most scratch yono's planner gives an int8 conv (kColumns in
  // compiler/src/pack/lower_ops.cpp): 16 gathered windows, or a depthwise
  // conv's padded plane.
  const uint32_t scratch_i8 = yono::conv_s8_scratch_values(p, w, kPlannerColumns);
  const uint32_t scratch_pq = yono::conv_s8_scratch_values(p, pq, kPlannerColumns);
  if (scratch_i8 > sizeof(g_scratch) / 2 || scratch_pq > sizeof(g_scratch) / 2) return r;
  {
    const Timed t;
    yono::conv_s8(p, w, g_in, in_zp, g_bias, o, g_out_i8, g_scratch, scratch_i8);
    r.i8 = t.stop();
  }
  {
    const Timed t;
    yono::conv_s8(p, pq, g_in, in_zp, g_bias, o, g_out_pq, g_scratch, scratch_pq);
    r.pq = t.stop();
  }

  to_nhwc(g_in, l.in_c, in_hw, g_in_nhwc);
  const cmsis_nn_dims in_dims{1, static_cast<int32_t>(l.in_h), static_cast<int32_t>(l.in_w),
                              static_cast<int32_t>(l.in_c)};
  const cmsis_nn_dims out_dims{1, static_cast<int32_t>(p.out_h), static_cast<int32_t>(p.out_w),
                               static_cast<int32_t>(l.out_c)};
  const cmsis_nn_dims bias_dims{1, 1, 1, static_cast<int32_t>(l.out_c)};
  const cmsis_nn_per_channel_quant_params quant{g_multiplier, g_shift};
  const cmsis_nn_tile stride{static_cast<int32_t>(p.stride_w), static_cast<int32_t>(p.stride_h)};
  const cmsis_nn_tile padding{static_cast<int32_t>(p.pad_left), static_cast<int32_t>(p.pad_top)};
  const cmsis_nn_tile dilation{1, 1};
  const cmsis_nn_activation act{out_zp, 127};
  cmsis_nn_context ctx{g_cmsis_buffer, 0};
  arm_cmsis_nn_status status;
  if (depthwise) {  // filter [1][kh][kw][c]
    for (uint32_t c = 0; c < l.in_c; ++c)
      for (uint32_t k = 0; k < l.kh * l.kw; ++k)
        g_weights_cmsis[k * l.in_c + c] = g_weights[c * l.kh * l.kw + k];
    const cmsis_nn_dims filter{1, static_cast<int32_t>(l.kh), static_cast<int32_t>(l.kw),
                               static_cast<int32_t>(l.out_c)};
    const cmsis_nn_dw_conv_params dp{-in_zp, out_zp, 1, stride, padding, dilation, act};
    ctx.size = arm_depthwise_conv_wrapper_s8_get_buffer_size(&dp, &in_dims, &filter, &out_dims);
    if (ctx.size > static_cast<int32_t>(sizeof(g_cmsis_buffer))) return r;
    const Timed t;
    status =
        arm_depthwise_conv_wrapper_s8(&ctx, &dp, &quant, &in_dims, g_in_nhwc, &filter,
                                      g_weights_cmsis, &bias_dims, g_bias, &out_dims, g_out_cmsis);
    r.cmsis = t.stop();
  } else {  // filter [out_c][kh][kw][in_c]
    for (uint32_t oc = 0; oc < l.out_c; ++oc)
      for (uint32_t ic = 0; ic < l.in_c; ++ic)
        for (uint32_t k = 0; k < l.kh * l.kw; ++k)
          g_weights_cmsis[(oc * l.kh * l.kw + k) * l.in_c + ic] =
              g_weights[(oc * l.in_c + ic) * l.kh * l.kw + k];
    const cmsis_nn_dims filter{static_cast<int32_t>(l.out_c), static_cast<int32_t>(l.kh),
                               static_cast<int32_t>(l.kw), static_cast<int32_t>(l.in_c)};
    const cmsis_nn_conv_params cp{-in_zp, out_zp, stride, padding, dilation, act};
    ctx.size = arm_convolve_wrapper_s8_get_buffer_size(&cp, &in_dims, &filter, &out_dims);
    if (ctx.size > static_cast<int32_t>(sizeof(g_cmsis_buffer))) return r;
    const Timed t;
    status = arm_convolve_wrapper_s8(&ctx, &cp, &quant, &in_dims, g_in_nhwc, &filter,
                                     g_weights_cmsis, &bias_dims, g_bias, &out_dims, g_out_cmsis);
    r.cmsis = t.stop();
  }
  r.same = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_out_i8, g_out_pq, l.out_c * out_hw) == 0 &&
           same_as_nhwc(g_out_i8, g_out_cmsis, l.out_c, out_hw);
  return r;
}

Result run_dense(const Layer& l) {
  const yono::DenseParams p{l.in_c, l.out_c, 1, -1e30f, 1e30f};
  Result r;
  r.macs = uint64_t{l.in_c} * l.out_c;
  fill_input(l.in_c, g_in, g_in_f32);
  yono::S8Weights pq;
  const yono::S8Weights w = make_weights(l.out_c, l.in_c, l.pq_dim, &pq);
  make_requant(l.out_c, l.in_c);
  const int32_t in_zp = random_in(-20, 20), out_zp = random_in(-20, 20);
  const yono::S8Output o{g_requant, out_zp, -128, 127};
  {
    const Timed t;
    yono::dense_f32(p, g_in_f32, g_weights_f32, yono::ChannelValues(g_bias_f32), g_out_f32);
    r.f32 = t.stop();
  }
  {
    const Timed t;
    yono::dense_s8(p, w, g_in, in_zp, g_bias, o, g_out_i8, g_scratch);
    r.i8 = t.stop();
  }
  {
    const Timed t;
    yono::dense_s8(p, pq, g_in, in_zp, g_bias, o, g_out_pq, g_scratch);
    r.pq = t.stop();
  }
  const cmsis_nn_dims in_dims{1, 1, 1, static_cast<int32_t>(l.in_c)};
  const cmsis_nn_dims filter{static_cast<int32_t>(l.in_c), 1, 1, static_cast<int32_t>(l.out_c)};
  const cmsis_nn_dims bias_dims{1, 1, 1, static_cast<int32_t>(l.out_c)};
  const cmsis_nn_dims out_dims{1, 1, 1, static_cast<int32_t>(l.out_c)};
  const cmsis_nn_fc_params fp{-in_zp, 0, out_zp, {-128, 127}};
  const cmsis_nn_per_channel_quant_params quant{g_multiplier, g_shift};
  cmsis_nn_context ctx{g_cmsis_buffer, arm_fully_connected_s8_get_buffer_size(&filter)};
  const Timed t;
  const arm_cmsis_nn_status status =
      arm_fully_connected_per_channel_s8(&ctx, &fp, &quant, &in_dims, g_in, &filter, g_weights,
                                         &bias_dims, g_bias, &out_dims, g_out_cmsis);
  r.cmsis = t.stop();
  r.same = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_out_i8, g_out_pq, l.out_c) == 0 &&
           memcmp(g_out_i8, g_out_cmsis, l.out_c) == 0;
  return r;
}

Result run_add(const Layer& l) {
  const uint32_t n = l.in_c * l.in_h * l.in_w;
  Result r;
  fill_input(n, g_in, g_in_f32);
  fill_input(n, g_in2, g_in2_f32);
  const yono::I8AddRequant q{20, {1 << 30, 0}, {(1 << 30) + 12345, 0}, {1 << 30, -19}};
  const int32_t a_zp = 3, b_zp = -7, out_zp = -128;  // a fused ReLU
  {
    yono::BinaryParams bp{};
    bp.kind = static_cast<uint32_t>(yono::BinaryKind::kAdd), bp.count = n, bp.c = 1, bp.inner = n;
    bp.act_min = 0.0f, bp.act_max = 1e30f;
    const Timed t;
    yono::binary_f32(bp, g_in_f32, g_in2_f32, g_out_f32);
    r.f32 = t.stop();
  }
  {
    const Timed t;
    yono::add_s8(n, g_in, a_zp, g_in2, b_zp, q, out_zp, out_zp, 127, g_out_i8);
    r.i8 = r.pq = t.stop();
  }
  // Elementwise, so the layout does not matter.
  const Timed t;
  const arm_cmsis_nn_status status = arm_elementwise_add_s8(
      g_in, g_in2, -a_zp, q.a.multiplier, q.a.shift, -b_zp, q.b.multiplier, q.b.shift, q.left_shift,
      g_out_cmsis, out_zp, q.out.multiplier, q.out.shift, out_zp, 127, static_cast<int32_t>(n));
  r.cmsis = t.stop();
  r.same = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_out_i8, g_out_cmsis, n) == 0;
  return r;
}

Result run_global_avg_pool(const Layer& l) {
  const uint32_t hw = l.in_h * l.in_w;
  Result r;
  fill_input(l.in_c * hw, g_in, g_in_f32);
  const yono::GlobalPoolParams gp{static_cast<uint32_t>(yono::PoolKind::kAverage), l.in_c, hw};
  {
    const Timed t;
    yono::global_pool_f32(gp, g_in_f32, g_out_f32);
    r.f32 = t.stop();
  }
  {
    const Timed t;
    yono::global_pool_s8(gp, g_in, g_out_i8);
    r.i8 = r.pq = t.stop();
  }
  to_nhwc(g_in, l.in_c, hw, g_in_nhwc);
  const cmsis_nn_pool_params pp{{1, 1}, {0, 0}, {-128, 127}};
  const cmsis_nn_dims in_dims{1, static_cast<int32_t>(l.in_h), static_cast<int32_t>(l.in_w),
                              static_cast<int32_t>(l.in_c)};
  const cmsis_nn_dims filter{1, static_cast<int32_t>(l.in_h), static_cast<int32_t>(l.in_w), 1};
  const cmsis_nn_dims out_dims{1, 1, 1, static_cast<int32_t>(l.in_c)};
  cmsis_nn_context ctx{g_cmsis_buffer,
                       arm_avgpool_s8_get_buffer_size(1, static_cast<int32_t>(l.in_c))};
  const Timed t;
  const arm_cmsis_nn_status status =
      arm_avgpool_s8(&ctx, &pp, &in_dims, g_in_nhwc, &filter, &out_dims, g_out_cmsis);
  r.cmsis = t.stop();
  r.same = status == ARM_CMSIS_NN_SUCCESS && memcmp(g_out_i8, g_out_cmsis, l.in_c) == 0;
  return r;
}

// The static buffers hold every layer of layers.cpp; a layer added there
// that does not fit is refused instead of overrunning them.
bool fits_buffers(const Layer& l) {
  const uint32_t row = l.kind == Kind::kDepthwise ? l.kh * l.kw : l.in_c * l.kh * l.kw;
  const uint32_t d = l.pq_dim == 0 ? 4u : l.pq_dim;
  const uint64_t in = uint64_t{l.in_c} * l.in_h * l.in_w;
  const uint32_t stride = l.stride == 0 ? 1u : l.stride;
  const uint64_t out = uint64_t{l.out_c} * out_extent(l.in_h, l.in_h == 1 ? 1u : stride) *
                       out_extent(l.in_w, stride);
  const uint64_t weights = uint64_t{l.out_c} * row;
  const uint64_t codes = uint64_t{l.out_c} * ((row + d - 1u) / d);
  return in <= kMaxActivation && out <= kMaxActivation && weights <= kMaxWeights &&
         codes <= sizeof(g_codes) && d <= kMaxDim && l.out_c <= 1024;
}

}  // namespace

int main() {
  ticks_start();
  for (uint32_t i = 0; i < peer::kLayerCount; ++i) {
#ifdef PEER_ONLY  // one layer, for instruction profiles (qemu -d exec)
    if (i != PEER_ONLY) continue;
#endif
    const Layer& l = peer::kLayers[i];
    if (!fits_buffers(l)) {
      fw::Line().text("ERROR layer ").text(l.name).text(" exceeds the benchmark's buffers").emit();
      return 1;
    }
    Result r;
    switch (l.kind) {
      case Kind::kConv:
      case Kind::kDepthwise: r = run_conv(l); break;
      case Kind::kDense: r = run_dense(l); break;
      case Kind::kAdd: r = run_add(l); break;
      case Kind::kGlobalAvgPool: r = run_global_avg_pool(l); break;
    }
    fw::Line()
        .text("LAYER ")
        .text(l.suite)
        .text(" ")
        .text(l.name)
        .text(" macs=")
        .u64(r.macs)
        .text(" f32=")
        .u64(r.f32)
        .text(" i8=")
        .u64(r.i8)
        .text(" pq=")
        .u64(r.pq)
        .text(" cmsis=")
        .u64(r.cmsis)
        .text(" same=")
        .u64(r.same ? 1 : 0)
        .emit();
  }
  fw::Line().text("DONE").emit();
  return 0;
}
