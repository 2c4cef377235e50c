#include "codebook_payload.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "yono/compiler/error.h"
#include "yono/compiler/pack/pack_codebooks.h"
#include "yono/format.h"
#include "yono/half_float.h"

namespace yono {
namespace {

// value = int8 * scale must give back every centroid bit for bit. The
// compressor's scale was max|c| / 127; recomputing it from rounded
// centroids can land an ulp away, so the neighbours are tried as well.
bool try_i8(const std::vector<float>& c, float scale, std::vector<uint8_t>* out) {
  out->resize(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    const float q = std::nearbyint(c[i] / scale);
    if (!(q >= -127.0f && q <= 127.0f)) return false;
    const int8_t v = static_cast<int8_t>(q);
    if (static_cast<float>(v) * scale != c[i]) return false;
    std::memcpy(out->data() + i, &v, 1);
  }
  return true;
}

}  // namespace

uint16_t exact_half_bits(float v) {
  if (!std::isfinite(v)) throw Error("value " + std::to_string(v) + " is not finite");
  if (std::fabs(v) >= 65536.0f) throw Error("value " + std::to_string(v) + " overflows float16");
  const uint16_t h = float_to_half(v);
  if (half_to_float(h) != v) {
    throw Error("value " + std::to_string(v) + " is not exactly representable in float16");
  }
  return h;
}

CodebookPayload encode_codebook(const ir::Codebook& c) {
  const std::string where = "codebook '" + c.name + "': ";
  if (c.dim < 1 || c.dim > 256)
    throw Error(where + "dim must be 1..256, got " + std::to_string(c.dim));
  if (c.codeword_count < 2 || c.codeword_count > 65536) {
    throw Error(where + "codeword count must be 2..65536, got " + std::to_string(c.codeword_count));
  }
  if (c.centroids.size() != uint64_t{c.dim} * c.codeword_count) {
    throw Error(where + "holds " + std::to_string(c.centroids.size()) + " values, expected " +
                std::to_string(uint64_t{c.dim} * c.codeword_count));
  }
  for (float v : c.centroids)
    if (!std::isfinite(v)) throw Error(where + "has a non-finite centroid value");
  CodebookPayload p;
  switch (c.dtype) {
    case ir::CodebookDType::kF32:
      p.dtype = static_cast<uint32_t>(CodebookDType::kF32);
      p.bytes.resize(c.centroids.size() * 4);
      std::memcpy(p.bytes.data(), c.centroids.data(), p.bytes.size());
      break;
    case ir::CodebookDType::kF16:
      p.dtype = static_cast<uint32_t>(CodebookDType::kF16);
      p.bytes.resize(c.centroids.size() * 2);
      for (size_t i = 0; i < c.centroids.size(); ++i) {
        uint16_t h;
        try {
          h = exact_half_bits(c.centroids[i]);
        } catch (const Error& e) {
          throw Error(where + e.what());
        }
        std::memcpy(p.bytes.data() + 2 * i, &h, 2);
      }
      break;
    case ir::CodebookDType::kI8: {
      p.dtype = static_cast<uint32_t>(CodebookDType::kI8);
      float max_abs = 0.0f;
      for (float v : c.centroids) max_abs = std::max(max_abs, std::fabs(v));
      const float base = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
      float down = base, up = base;
      bool ok = try_i8(c.centroids, base, &p.bytes);
      for (int step = 0; step < 4 && !ok; ++step) {
        down = std::nextafter(down, 0.0f);
        up = std::nextafter(up, INFINITY);
        if (try_i8(c.centroids, down, &p.bytes)) {
          p.value_scale = down;
          ok = true;
        } else if (try_i8(c.centroids, up, &p.bytes)) {
          p.value_scale = up;
          ok = true;
        }
      }
      if (!ok) {
        throw Error(where + "centroids are not int8 multiples of max|c|/127 (not rounded to i8)");
      }
      if (p.value_scale == 0.0f) p.value_scale = base;
      break;
    }
    case ir::CodebookDType::kI16: {
      // The quantizer sets the scale; every centroid must be an int16 times it.
      p.dtype = static_cast<uint32_t>(CodebookDType::kI16);
      p.value_scale = c.value_scale;
      if (!(c.value_scale > 0.0f) || !std::isfinite(c.value_scale))
        throw Error(where + "an i16 codebook needs a positive value scale");
      p.bytes.resize(c.centroids.size() * 2);
      for (size_t i = 0; i < c.centroids.size(); ++i) {
        const float q = std::nearbyint(c.centroids[i] / c.value_scale);
        if (!(q >= -32768.0f && q <= 32767.0f) ||
            static_cast<float>(static_cast<int16_t>(q)) * c.value_scale != c.centroids[i]) {
          throw Error(where + "centroid " + std::to_string(i) +
                      " is not an int16 multiple of the value scale");
        }
        const int16_t v = static_cast<int16_t>(q);
        std::memcpy(p.bytes.data() + 2 * i, &v, 2);
      }
      break;
    }
  }
  return p;
}

std::vector<ir::Codebook> read_codebooks(const Pack& pack) {
  std::vector<ir::Codebook> out;
  for (uint32_t i = 0; i < pack.codebook_count(); ++i) {
    const CodebookRecord& r = pack.codebooks()[i];
    ir::Codebook c;
    const char* name = pack.codebook_name(i);
    c.name = name != nullptr ? name : "";
    c.dim = r.dim;
    c.codeword_count = r.codeword_count;
    const size_t n = size_t{r.dim} * r.codeword_count;
    c.centroids.resize(n);
    const uint8_t* data = pack.codebook_data(r);  // bounds checked by Pack::open
    switch (static_cast<CodebookDType>(r.dtype)) {
      case CodebookDType::kF32:
        c.dtype = ir::CodebookDType::kF32;
        std::memcpy(c.centroids.data(), data, n * 4);
        break;
      case CodebookDType::kF16:
        c.dtype = ir::CodebookDType::kF16;
        for (size_t j = 0; j < n; ++j) {
          uint16_t h;
          std::memcpy(&h, data + 2 * j, 2);
          c.centroids[j] = half_to_float(h);
        }
        break;
      case CodebookDType::kI8:
        c.dtype = ir::CodebookDType::kI8;
        for (size_t j = 0; j < n; ++j)
          c.centroids[j] = static_cast<float>(static_cast<int8_t>(data[j])) * r.value_scale;
        break;
      case CodebookDType::kI16:
        c.dtype = ir::CodebookDType::kI16;
        c.value_scale = r.value_scale;
        for (size_t j = 0; j < n; ++j) {
          int16_t v;
          std::memcpy(&v, data + 2 * j, 2);
          c.centroids[j] = static_cast<float>(v) * r.value_scale;
        }
        break;
      default: throw Error("codebook '" + c.name + "': unknown dtype");  // Pack::open refuses it
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace yono
