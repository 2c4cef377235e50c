// Minibatch assembly with per-sample augmentation. Randomness comes from a
// seeded splitmix64 stream, not from torch or std distributions, so the same
// seed draws the same crops, flips and noise on every platform.
#pragma once

#include <cstdint>
#include <vector>

#include "yono/compiler/data/dataset.h"
#include "yono/compiler/train/trainer.h"

namespace yono::train {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  double uniform();                         // [0, 1)
  int64_t between(int64_t lo, int64_t hi);  // inclusive
  double gaussian();

 private:
  uint64_t state_;
};

// Standard deviation of all sample values, so noise is relative to the data.
float sample_std(const data::Dataset& d);

// Copies samples `indices` into out (sample-major), augmenting each with aug
// (noise_std is absolute here). Labels go to `labels`.
void assemble_batch(const data::Dataset& d, const std::vector<size_t>& indices,
                    const Augmentation& aug, float noise_std, Rng& rng, std::vector<float>& out,
                    std::vector<int64_t>& labels);

}  // namespace yono::train
