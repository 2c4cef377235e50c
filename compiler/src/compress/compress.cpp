// compress_models: find the layers, apply the keep rules, run the method.
#include "yono/compiler/compress/compress.h"

#include "encoders.h"
#include "layers.h"
#include "yono/compiler/error.h"

namespace yono {

CompressedModels compress_models(std::vector<ir::Graph> models, const CompressOptions& o) {
  if (models.empty()) throw Error("no models to compress");
  compress::check_options(o);
  std::vector<compress::Layer> layers = compress::find_layers(models);
  compress::apply_keep_rules(layers, models, o);
  compress::apply_layer_dims(layers, models, o);

  CompressedModels out;
  bool any = false;
  for (const compress::Layer& l : layers) any = any || !l.keep;
  if (!any) out.warnings.push_back("every layer is kept by a keep rule; nothing is quantized");

  switch (o.method) {
    case CompressMethod::kPq: compress::encode_pq(models, layers, o, out); break;
    case CompressMethod::kKmeansScalar:
      compress::encode_kmeans_scalar(models, layers, o, out);
      break;
    case CompressMethod::kInt8:
      for (const compress::Layer& l : layers) {
        if (!l.keep) {
          compress::encode_int8(models[l.model].tensors[static_cast<size_t>(l.tensor)], l.rows,
                                l.row_len);
        }
      }
      break;
  }
  if (o.keep_dtype == KeepDType::kInt8) {
    for (const compress::Layer& l : layers) {
      if (l.keep) {
        compress::encode_int8(models[l.model].tensors[static_cast<size_t>(l.tensor)], l.rows,
                              l.row_len);
      }
    }
  }
  out.models = std::move(models);
  compress::store_scales_as(out, o.scale_dtype);
  compress::store_biases_as(out, o.bias_dtype);
  out.choices = compress::explain_choices(layers, out, o);
  return out;
}

}  // namespace yono
