// assign_by_activations: H_j from the float model's layer inputs, then every
// code re-picked under the H_j metric (activation_assign.h states the math).
#include "yono/compiler/train/activation_assign.h"

#include <torch/torch.h>

#include <algorithm>
#include <variant>

#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/train/ir_module.h"

namespace yono::train {
namespace {

namespace F = torch::nn::functional;

constexpr int64_t kBatch = 32;

// The rows a weight of `op` multiplies, one patch per output position:
// [positions, row_len], columns in the weight's row order (OIHW / [out][in]).
torch::Tensor patches(const ir::Op& op, const torch::Tensor& x) {
  if (const auto* a = std::get_if<ir::ConvAttrs>(&op.attrs)) {
    torch::Tensor in = x.dim() == 3 ? x.unsqueeze(2) : x;  // a 1-D conv as H = 1
    in = torch::constant_pad_nd(in, {a->pad_left, a->pad_right, a->pad_top, a->pad_bottom});
    const torch::Tensor cols =  // [N, C * kh * kw, L]
        F::unfold(in, F::UnfoldFuncOptions({a->kh, a->kw})
                          .dilation({a->dilation_h, a->dilation_w})
                          .stride({a->stride_h, a->stride_w}));
    return cols.transpose(1, 2).reshape({-1, cols.size(1)});
  }
  return x.reshape({x.size(0), -1});  // dense: the flattened input
}

bool assignable(const ir::Op& op) {
  if (const auto* a = std::get_if<ir::ConvAttrs>(&op.attrs)) return a->groups == 1;
  return std::holds_alternative<ir::DenseAttrs>(op.attrs);
}

struct Target {
  size_t model = 0, op = 0;
  int input = -1, weight = -1;
  torch::Tensor h;  // [spr, D, D], accumulated
};

}  // namespace

ActivationAssignment assign_by_activations(CompressedModels& c,
                                           const std::vector<ir::Graph>& originals,
                                           const std::vector<const data::Dataset*>& calibration,
                                           size_t samples, int threads) {
  torch::NoGradGuard no_grad;
  torch::set_num_threads(threads);
  ActivationAssignment report;
  for (size_t m = 0; m < c.models.size(); ++m) {
    if (m >= calibration.size() || calibration[m] == nullptr || calibration[m]->size() == 0)
      continue;
    ir::Graph& g = c.models[m];
    std::vector<Target> targets;
    for (size_t o = 0; o < g.ops.size(); ++o) {
      const ir::Op& op = g.ops[o];
      if (!assignable(op) || op.inputs.size() < 2) continue;
      const ir::Tensor& w = g.tensors[static_cast<size_t>(op.inputs[1])];
      if (!std::holds_alternative<ir::PqEncoding>(w.encoding)) continue;
      // A weight shared by several ops keeps the codes its first op chose.
      const bool seen = std::any_of(targets.begin(), targets.end(),
                                    [&](const Target& t) { return t.weight == op.inputs[1]; });
      if (!seen) targets.push_back({m, o, op.inputs[0], op.inputs[1], {}});
    }
    if (targets.empty()) continue;

    IrModule module(originals[m]);
    module.eval();
    const data::Dataset& d = *calibration[m];
    const size_t n = std::min(samples, d.size());
    std::vector<int64_t> shape = {0};
    shape.insert(shape.end(), d.sample_dims.begin(), d.sample_dims.end());
    for (size_t first = 0; first < n; first += kBatch) {
      const size_t count = std::min<size_t>(kBatch, n - first);
      shape[0] = static_cast<int64_t>(count);
      const torch::Tensor x =
          torch::from_blob(const_cast<float*>(d.sample(first)), shape, torch::kFloat32).clone();
      const std::vector<torch::Tensor> values = module.forward_values(x);
      for (Target& t : targets) {
        const auto& enc =
            std::get<ir::PqEncoding>(g.tensors[static_cast<size_t>(t.weight)].encoding);
        const int64_t dim = c.codebooks[static_cast<size_t>(enc.codebook)].dim;
        const torch::Tensor p = patches(g.ops[t.op], values[static_cast<size_t>(t.input)]);
        const int64_t row_len = p.size(1);
        const int64_t spr = (row_len + dim - 1) / dim;
        const torch::Tensor padded =  // tail lanes are padding: zero inputs, zero cost
            torch::constant_pad_nd(p, {0, spr * dim - row_len}).reshape({-1, spr, dim});
        const torch::Tensor h = torch::einsum("njd,nje->jde", {padded, padded}).to(torch::kFloat64);
        t.h = t.h.defined() ? t.h + h : h;
      }
    }

    for (const Target& t : targets) {
      ir::Tensor& w = g.tensors[static_cast<size_t>(t.weight)];
      auto& enc = std::get<ir::PqEncoding>(w.encoding);
      const ir::Codebook& cb = c.codebooks[static_cast<size_t>(enc.codebook)];
      const auto rows = static_cast<int64_t>(w.dims[0]);
      const auto row_len = static_cast<int64_t>(ir::element_count(w.dims) / rows);
      const int64_t dim = cb.dim, spr = (row_len + dim - 1) / dim;
      const torch::Tensor codebook =
          torch::from_blob(const_cast<float*>(cb.centroids.data()),
                           {static_cast<int64_t>(cb.codeword_count), dim}, torch::kFloat32)
              .to(torch::kFloat64);
      // Normalised float weights u = w / s, zero-padded to whole sub-vectors.
      const std::vector<float>& original = originals[m].tensors[static_cast<size_t>(t.weight)].data;
      const torch::Tensor scales =
          torch::from_blob(enc.scales.data(), {rows, 1}, torch::kFloat32).to(torch::kFloat64);
      const torch::Tensor u =
          torch::constant_pad_nd(torch::from_blob(const_cast<float*>(original.data()),
                                                  {rows, row_len}, torch::kFloat32)
                                         .to(torch::kFloat64) /
                                     scales,
                                 {0, spr * dim - row_len})
              .reshape({rows, spr, dim});
      for (int64_t j = 0; j < spr; ++j) {
        // A small ridge keeps weight-space distance as the tie-breaker where
        // the inputs barely excite a direction (or never, e.g. after a ReLU
        // that is always off).
        const torch::Tensor raw = t.h[j];
        const double ridge = 1e-3 * raw.trace().item<double>() / static_cast<double>(dim) + 1e-12;
        const torch::Tensor h = raw + ridge * torch::eye(dim, torch::kFloat64);  // [D, D]
        const torch::Tensor ch = codebook.matmul(h);                             // [K, D]
        const torch::Tensor chc = (ch * codebook).sum(1);                        // [K]
        const torch::Tensor cost =
            chc.unsqueeze(0) - 2.0 * u.select(1, j).matmul(ch.t());  // [rows, K]
        const torch::Tensor best = cost.argmin(1);
        const auto* picked = best.data_ptr<int64_t>();
        for (int64_t r = 0; r < rows; ++r) {
          uint32_t& code = enc.codes[static_cast<size_t>(r * spr + j)];
          const auto now = static_cast<uint32_t>(picked[r]);
          if (now != code) ++report.codes_changed;
          code = now;
        }
        report.codes += rows;
      }
      w.data = reconstruct_rows(cb.centroids, cb.dim, enc.codes, enc.scales,
                                static_cast<uint32_t>(rows), static_cast<uint32_t>(row_len));
      ++report.layers;
    }
  }
  return report;
}

}  // namespace yono::train
