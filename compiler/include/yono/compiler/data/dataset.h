// In-memory labelled data sets as the trainer and the evaluator consume them:
// every sample is a dense float tensor of the same shape, already passed
// through its front end, so training and on-device inference see the same input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace yono::data {

struct Dataset {
  std::vector<int64_t> sample_dims;  // channel-first, e.g. {1, 28, 28} or {3, 96}
  std::vector<float> samples;        // size() * sample_numel(), sample-major
  std::vector<int32_t> labels;       // index into class_names
  std::vector<std::string> class_names;
  std::vector<std::string> sources;  // optional: file (or file#window) each sample came from

  size_t size() const { return labels.size(); }
  size_t sample_numel() const;
  const float* sample(size_t i) const { return samples.data() + i * sample_numel(); }
};

struct Split {
  Dataset train, validation, test;
};

// FNV-1a (64 bit) over the labels and float bytes of train, validation and
// test, as hex: identifies the exact data a model was trained and scored on.
std::string fingerprint(const Split& split);

// Copies the listed samples (in the given order) into a new data set with the
// same shape and class names; sources are kept when present.
Dataset select_samples(const Dataset& from, const std::vector<size_t>& indices);

// Appends `more` to `into`; both must have the same sample shape.
void append_samples(Dataset& into, const Dataset& more);

// A permutation of 0..n-1 that is the same on every platform for a given seed
// (std::shuffle and the std distributions are implementation-defined).
std::vector<size_t> seeded_permutation(size_t n, uint64_t seed);

// Moves `count` seeded-randomly chosen samples of `train` into the returned
// validation set; both keep their original relative order.
Dataset carve_validation(Dataset& train, size_t count, uint64_t seed);

}  // namespace yono::data
