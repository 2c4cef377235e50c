// Deep Compression's weight sharing as a baseline: each layer gets its own
// 2^bits scalar centroids. Expressed as PQ with D = 1 and scales 1, so the
// format and kernels need nothing extra.
#include "encoders.h"
#include "yono/compiler/compress/subvectors.h"

namespace yono::compress {

void encode_kmeans_scalar(std::vector<ir::Graph>& models, const std::vector<Layer>& layers,
                          const CompressOptions& o, CompressedModels& out) {
  const uint32_t k = uint32_t{1} << o.bits;
  for (const Layer& l : layers) {
    if (l.keep) continue;
    ir::Tensor& t = models[l.model].tensors[static_cast<size_t>(l.tensor)];
    const std::string name = layer_label(l, models);
    SubvectorSet set;
    set.dim = 1;
    set.vectors = t.data;
    set.valid.assign(t.data.size(), 1);
    CodebookFit fit = learn_codebook(set.vectors, 1, k, o.seed, o.iterations);
    for (const std::string& w : fit.warnings) out.warnings.push_back(name + ": " + w);
    ir::PqEncoding enc;
    enc.codebook = static_cast<int>(out.codebooks.size());
    out.codebooks.push_back(
        finish_codebook(name, std::move(fit), set, o.codebook_dtype, enc.codes));
    enc.scales.assign(l.rows, 1.f);
    t.data = reconstruct_rows(out.codebooks.back().centroids, 1, enc.codes, enc.scales, l.rows,
                              l.row_len);
    t.encoding = std::move(enc);
  }
}

}  // namespace yono::compress
