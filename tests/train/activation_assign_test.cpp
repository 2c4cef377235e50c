// Activation-aware assignment: the first conv's codes are checked against a
// naive reference (H_j summed over im2col patches of the calibration images,
// every codeword tried), every re-assigned layer still decodes to its data,
// and models without calibration data keep their codes.
#include "yono/compiler/train/activation_assign.h"

#include <gtest/gtest.h>

#include <limits>
#include <variant>

#include "train_test_support.h"
#include "yono/compiler/compress/subvectors.h"
#include "yono/compiler/zoo/model_zoo.h"

namespace {

using yono::data::Dataset;

// Sum over samples and output positions of x_j x_j^T for sub-vector j of a
// conv's rows, with x the zero-padded input patch in [c][ky][kx] order.
std::vector<double> naive_h(const Dataset& d, const yono::ir::ConvAttrs& a, int64_t in_c,
                            int64_t dim, int64_t j) {
  const int64_t h = d.sample_dims[1], w = d.sample_dims[2];
  const int64_t row_len = in_c * a.kh * a.kw;
  const int64_t out_h = (h + a.pad_top + a.pad_bottom - a.kh) / a.stride_h + 1;
  const int64_t out_w = (w + a.pad_left + a.pad_right - a.kw) / a.stride_w + 1;
  std::vector<double> hj(static_cast<size_t>(dim * dim), 0.0);
  std::vector<double> x(static_cast<size_t>(dim));
  for (size_t s = 0; s < d.size(); ++s) {
    const float* img = d.sample(s);
    for (int64_t oy = 0; oy < out_h; ++oy) {
      for (int64_t ox = 0; ox < out_w; ++ox) {
        for (int64_t lane = 0; lane < dim; ++lane) {
          const int64_t k = j * dim + lane;
          double v = 0;
          if (k < row_len) {
            const int64_t c = k / (a.kh * a.kw), ky = k / a.kw % a.kh, kx = k % a.kw;
            const int64_t iy = oy * a.stride_h + ky - a.pad_top,
                          ix = ox * a.stride_w + kx - a.pad_left;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) v = img[(c * h + iy) * w + ix];
          }
          x[static_cast<size_t>(lane)] = v;
        }
        for (int64_t p = 0; p < dim; ++p)
          for (int64_t q = 0; q < dim; ++q)
            hj[static_cast<size_t>(p * dim + q)] +=
                x[static_cast<size_t>(p)] * x[static_cast<size_t>(q)];
      }
    }
  }
  double trace = 0;
  for (int64_t p = 0; p < dim; ++p) trace += hj[static_cast<size_t>(p * dim + p)];
  for (int64_t p = 0; p < dim; ++p)
    hj[static_cast<size_t>(p * dim + p)] += 1e-3 * trace / static_cast<double>(dim) + 1e-12;
  return hj;
}

TEST(ActivationAssign, FirstConvCodesMinimiseTheCalibrationOutputError) {
  yono::ir::Graph g = yono::zoo::build_model("fmnist-cnn", {1, 8, 8}, 2, 3);
  g.name = "image";
  yono::ir::Graph other = g;
  other.name = "other";
  yono::CompressOptions o;
  o.keep_min_weights = 0;
  o.codewords.all = 8;
  yono::CompressedModels c = yono::compress_models({g, other}, o);
  const yono::CompressedModels before = c;
  const Dataset calib = yono::test::halves_dataset(12, 5);

  const yono::train::ActivationAssignment r =
      yono::train::assign_by_activations(c, {g, other}, {&calib, nullptr}, 10, 1);
  EXPECT_GT(r.layers, 0);
  EXPECT_GT(r.codes_changed, 0);
  EXPECT_LE(r.codes_changed, r.codes);

  // The model without calibration data is untouched.
  for (size_t t = 0; t < other.tensors.size(); ++t)
    EXPECT_EQ(c.models[1].tensors[t].data, before.models[1].tensors[t].data);

  // Every re-assigned layer decodes to its data.
  for (const yono::ir::Tensor& t : c.models[0].tensors) {
    const auto* enc = std::get_if<yono::ir::PqEncoding>(&t.encoding);
    if (enc == nullptr) continue;
    const yono::ir::Codebook& cb = c.codebooks[static_cast<size_t>(enc->codebook)];
    const auto rows = static_cast<uint32_t>(t.dims[0]);
    EXPECT_EQ(t.data, yono::reconstruct_rows(cb.centroids, cb.dim, enc->codes, enc->scales, rows,
                                             static_cast<uint32_t>(t.data.size() / rows)));
  }

  // The first conv reads the calibration images themselves (10 of 12 used).
  const Dataset used = yono::data::select_samples(calib, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const yono::ir::Op& conv = c.models[0].ops[0];
  const auto& attrs = std::get<yono::ir::ConvAttrs>(conv.attrs);
  const yono::ir::Tensor& w = c.models[0].tensors[static_cast<size_t>(conv.inputs[1])];
  const auto& enc = std::get<yono::ir::PqEncoding>(w.encoding);
  const yono::ir::Codebook& cb = c.codebooks[static_cast<size_t>(enc.codebook)];
  const std::vector<float>& original = g.tensors[static_cast<size_t>(conv.inputs[1])].data;
  const int64_t rows = w.dims[0], row_len = static_cast<int64_t>(original.size()) / rows;
  const int64_t dim = cb.dim, spr = (row_len + dim - 1) / dim;
  for (int64_t j = 0; j < spr; ++j) {
    const std::vector<double> h = naive_h(used, attrs, w.dims[1], dim, j);
    for (int64_t row = 0; row < rows; ++row) {
      std::vector<double> u(static_cast<size_t>(dim), 0.0);
      for (int64_t lane = 0; lane < dim && j * dim + lane < row_len; ++lane)
        u[static_cast<size_t>(lane)] =
            original[static_cast<size_t>(row * row_len + j * dim + lane)] /
            enc.scales[static_cast<size_t>(row)];
      auto cost = [&](uint32_t code) {
        double e = 0;
        for (int64_t p = 0; p < dim; ++p)
          for (int64_t q = 0; q < dim; ++q)
            e += (u[static_cast<size_t>(p)] - cb.centroids[code * dim + p]) *
                 h[static_cast<size_t>(p * dim + q)] *
                 (u[static_cast<size_t>(q)] - cb.centroids[code * dim + q]);
        return e;
      };
      double best = std::numeric_limits<double>::max();
      for (uint32_t k = 0; k < cb.codeword_count; ++k) best = std::min(best, cost(k));
      const uint32_t chosen = enc.codes[static_cast<size_t>(row * spr + j)];
      EXPECT_LE(cost(chosen), best * (1 + 1e-6) + 1e-9) << "row " << row << " sub-vector " << j;
    }
  }
}

}  // namespace
