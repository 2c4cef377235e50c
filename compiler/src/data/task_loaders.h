// One loader per task; tasks.cpp dispatches by name.
#pragma once

#include <cstdint>

#include "yono/compiler/data/dataset.h"

namespace yono::data {

Split load_fashion_mnist(uint64_t seed);
Split load_cifar10(uint64_t seed);
Split load_fsdd(uint64_t seed, bool mfcc);
Split load_hmp(uint64_t seed);

}  // namespace yono::data
