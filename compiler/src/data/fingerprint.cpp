#include <cstdio>

#include "yono/compiler/data/dataset.h"

namespace yono::data {

std::string fingerprint(const Split& split) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ull;
  };
  for (const Dataset* d : {&split.train, &split.validation, &split.test}) {
    mix(d->labels.data(), d->labels.size() * sizeof(int32_t));
    mix(d->samples.data(), d->samples.size() * sizeof(float));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace yono::data
