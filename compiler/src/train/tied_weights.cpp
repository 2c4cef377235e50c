#include "tied_weights.h"

#include <variant>

// round_centroids and encode_int8 are the exact rounding the pack writer
// assumes for a stored codebook and an int8 layer; fine-tuning must produce
// the same values, so it uses compress's own functions rather than copies.
#include "../compress/encoders.h"
#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/error.h"

namespace yono::train {
namespace {

torch::Tensor floats(const std::vector<float>& v, std::vector<int64_t> shape) {
  return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}

std::vector<float> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

std::vector<TiedCodebook> tie_codebooks(const std::vector<ir::Codebook>& codebooks) {
  std::vector<TiedCodebook> out;
  for (const ir::Codebook& cb : codebooks) {
    TiedCodebook t;
    t.stored = cb;
    t.centroids = floats(cb.centroids,
                         {static_cast<int64_t>(cb.codeword_count), static_cast<int64_t>(cb.dim)});
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TiedLayer> tie_layers(size_t m, const ir::Graph& g,
                                  const std::vector<torch::Tensor>& shadows) {
  std::vector<TiedLayer> out;
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const ir::Op& op = g.ops[i];
    const bool weighted = std::holds_alternative<ir::ConvAttrs>(op.attrs) ||
                          std::holds_alternative<ir::DenseAttrs>(op.attrs);
    if (!weighted || op.inputs.size() < 2 || !shadows.at(i).defined()) continue;
    const ir::Tensor& t = g.tensors[static_cast<size_t>(op.inputs[1])];
    if (!t.is_constant) continue;
    TiedLayer l;
    l.model = m;
    l.op = i;
    l.tensor = op.inputs[1];
    l.dims.assign(t.dims.begin(), t.dims.end());
    l.rows = static_cast<uint32_t>(t.dims.at(0));
    l.row_len = static_cast<uint32_t>(t.data.size() / l.rows);
    l.shadow = shadows[i];
    if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
      l.kind = WeightKind::kPq;
      l.codebook = pq->codebook;
      l.per_row = static_cast<uint32_t>(pq->codes.size() / l.rows);
      l.codes =
          torch::tensor(std::vector<int64_t>(pq->codes.begin(), pq->codes.end()), torch::kInt64);
      l.scales = floats(pq->scales, {static_cast<int64_t>(l.rows)});
      l.scale_dtype = pq->scale_dtype;
    } else if (const auto* i8 = std::get_if<ir::Int8Encoding>(&t.encoding)) {
      l.kind = WeightKind::kInt8;
      l.scale_dtype = i8->scale_dtype;
    }
    out.push_back(std::move(l));
  }
  return out;
}

torch::Tensor stored_centroids(const TiedCodebook& cb) {
  const torch::Tensor& c = cb.centroids;
  const torch::Tensor v = c.detach();
  torch::Tensor q;
  switch (cb.stored.dtype) {
    case ir::CodebookDType::kF32: return c;
    case ir::CodebookDType::kF16: q = v.to(torch::kHalf).to(torch::kFloat32); break;
    case ir::CodebookDType::kI8: {
      const torch::Tensor s = (v.abs().max() / 127.0).clamp_min(1e-12);
      q = torch::clamp(torch::round(v / s), -127, 127) * s;
      break;
    }
    case ir::CodebookDType::kI16: {
      // An int8 pack's codebook (its lanes' scale fixed by the quantizer).
      const double scale = cb.stored.value_scale > 0.0f ? cb.stored.value_scale : 1.0;
      q = torch::clamp(torch::round(v / scale), -32767, 32767) * scale;
      break;
    }
  }
  return c + (q - v);
}

torch::Tensor forward_weight(const TiedLayer& l, const std::vector<TiedCodebook>& codebooks) {
  if (l.kind == WeightKind::kF32) return l.shadow;
  if (l.kind == WeightKind::kInt8) {
    // Per-row max|w| / 127 as encode_int8; the clamp only guards all-zero rows.
    const torch::Tensor w = l.shadow.reshape({l.rows, l.row_len});
    const torch::Tensor s = (w.detach().abs().amax(1, true) / 127.0).clamp_min(1e-12);
    const torch::Tensor q = torch::clamp(torch::round(w.detach() / s), -127, 127) * s;
    return (w + (q - w.detach())).reshape(l.dims);
  }
  const torch::Tensor c = stored_centroids(codebooks.at(static_cast<size_t>(l.codebook)));
  const int64_t dim = c.size(1);
  torch::Tensor w =
      c.index_select(0, l.codes).reshape({l.rows, l.per_row * dim}).narrow(1, 0, l.row_len) *
      l.scales.unsqueeze(1);
  w = w.reshape(l.dims);
  // Straight-through: the shadow receives the quantized weight's gradient,
  // so it drifts where the loss wants the weight and its codes follow.
  if (l.reassign) w = w + (l.shadow - l.shadow.detach());
  return w;
}

void reassign_codes(TiedLayer& l, const torch::Tensor& centroids) {
  torch::NoGradGuard no_grad;
  const int64_t dim = centroids.size(1);
  const int64_t padded = l.per_row * dim;
  const torch::Tensor c = centroids.detach();
  torch::Tensor x = l.shadow.detach().reshape({l.rows, l.row_len}) / l.scales.detach().unsqueeze(1);
  torch::Tensor mask = torch::ones({l.rows, l.row_len});
  if (padded > l.row_len) {
    x = torch::constant_pad_nd(x, {0, padded - l.row_len});
    mask = torch::constant_pad_nd(mask, {0, padded - l.row_len});
  }
  x = x.reshape({-1, dim});
  mask = mask.reshape({-1, dim});
  // |x - c|^2 over real lanes = sum(m x^2) - 2 x.c + m.(c^2); x is 0 in padding.
  const torch::Tensor d = (x * x).sum(1, true) - 2.0 * x.matmul(c.t()) + mask.matmul((c * c).t());
  l.codes = d.argmin(1);
}

void untie(const std::vector<TiedCodebook>& codebooks, std::vector<TiedLayer> layers,
           CompressedModels& out) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> rounded;
  for (size_t i = 0; i < codebooks.size(); ++i) {
    ir::Codebook& cb = out.codebooks.at(i);
    cb.centroids = to_vector(codebooks[i].centroids);
    compress::round_centroids(cb.centroids, cb.dtype);
    rounded.push_back(floats(
        cb.centroids, {static_cast<int64_t>(cb.codeword_count), static_cast<int64_t>(cb.dim)}));
  }
  for (TiedLayer& l : layers) {
    ir::Tensor& t = out.models.at(l.model).tensors.at(static_cast<size_t>(l.tensor));
    if (l.kind == WeightKind::kF32) {
      t.data = to_vector(l.shadow);
      continue;
    }
    if (l.kind == WeightKind::kInt8) {
      t.data = to_vector(l.shadow);
      compress::encode_int8(t, l.rows, l.row_len);
      compress::store_scales_as(t, l.scale_dtype, out.codebooks);
      continue;
    }
    if (l.reassign) reassign_codes(l, rounded[static_cast<size_t>(l.codebook)]);
    ir::PqEncoding enc;
    enc.codebook = l.codebook;
    const torch::Tensor codes = l.codes.contiguous();
    enc.codes.assign(codes.data_ptr<int64_t>(), codes.data_ptr<int64_t>() + codes.numel());
    enc.scales = to_vector(l.scales);
    const ir::Codebook& cb = out.codebooks[static_cast<size_t>(l.codebook)];
    t.data = reconstruct_rows(cb.centroids, cb.dim, enc.codes, enc.scales, l.rows, l.row_len);
    t.encoding = std::move(enc);
    compress::store_scales_as(t, l.scale_dtype, out.codebooks);
  }
  compress::round_f16_constants(out);  // biases written back by the caller
}

}  // namespace yono::train
