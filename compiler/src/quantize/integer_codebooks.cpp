#include "yono/compiler/quantize/integer_codebooks.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include "yono/compiler/error.h"

namespace yono::quantize {
namespace {

constexpr double kAccumulatorBudget = 1073741824.0;  // 2^30
constexpr double kMaxActivationMagnitude = 255.0;    // |q - zero_point|

int64_t row_length(const ir::Tensor& w) {
  return static_cast<int64_t>(w.data.size()) / std::max<int64_t>(w.dims.empty() ? 1 : w.dims[0], 1);
}

}  // namespace

void to_integer_codebooks(std::vector<ir::Graph>& models, std::vector<ir::Codebook>& codebooks) {
  std::vector<int64_t> longest(codebooks.size(), 0);
  for (const ir::Graph& g : models) {
    for (const ir::Tensor& t : g.tensors) {
      if (const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding)) {
        if (pq->codebook < 0 || static_cast<size_t>(pq->codebook) >= codebooks.size())
          throw Error("model '" + g.name + "', tensor '" + t.name + "': codebook out of range");
        longest[pq->codebook] = std::max(longest[pq->codebook], row_length(t));
      } else if (std::holds_alternative<ir::Int8Encoding>(t.encoding) &&
                 128.0 * kMaxActivationMagnitude * static_cast<double>(row_length(t)) >
                     kAccumulatorBudget) {
        throw Error("model '" + g.name + "', tensor '" + t.name +
                    "': rows too long for an int32 accumulator");
      }
    }
  }
  for (size_t k = 0; k < codebooks.size(); ++k) {
    ir::Codebook& c = codebooks[k];
    if (longest[k] == 0) continue;  // used by no model: left as it is
    const double v_max =
        std::min(32767.0, std::floor(kAccumulatorBudget /
                                     (kMaxActivationMagnitude * static_cast<double>(longest[k]))));
    if (v_max < 127.0)
      throw Error("codebook '" + c.name + "': rows of " + std::to_string(longest[k]) +
                  " weights leave fewer than 8 bits for int16 lanes");
    float max_abs = 0.0f;
    for (float v : c.centroids) max_abs = std::max(max_abs, std::fabs(v));
    if (c.dtype == ir::CodebookDType::kI16 && c.value_scale > 0.0f) {
      // Already integer (a frozen codebook of an int8 pack): kept as stored,
      // if its lanes fit these rows' bound.
      if (max_abs / c.value_scale > v_max + 0.5)
        throw Error("codebook '" + c.name + "': its int16 lanes are too wide for rows of " +
                    std::to_string(longest[k]) + " weights");
      continue;
    }
    const float scale = max_abs > 0.0f ? static_cast<float>(max_abs / v_max) : 1.0f;
    for (float& v : c.centroids) {
      const double q = std::clamp(static_cast<double>(std::nearbyint(v / scale)), -v_max, v_max);
      v = static_cast<float>(static_cast<int16_t>(q)) * scale;
    }
    c.dtype = ir::CodebookDType::kI16;
    c.value_scale = scale;
  }
  // Decoded weights exactly as the runtime forms them: scale * (int16 * value_scale).
  for (ir::Graph& g : models) {
    for (ir::Tensor& t : g.tensors) {
      const auto* pq = std::get_if<ir::PqEncoding>(&t.encoding);
      if (pq == nullptr) continue;
      const ir::Codebook& c = codebooks[pq->codebook];
      const int64_t len = row_length(t);
      const int64_t per_row = (len + c.dim - 1) / c.dim;
      for (size_t o = 0; o < pq->scales.size(); ++o) {
        for (int64_t j = 0; j < len; ++j) {
          const uint32_t code = pq->codes[o * per_row + j / c.dim];
          t.data[o * len + j] = pq->scales[o] * c.centroids[size_t{code} * c.dim + j % c.dim];
        }
      }
    }
  }
}

}  // namespace yono::quantize
