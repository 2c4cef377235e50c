// Splitting by group (recording, speaker, ...) instead of by sample: windows
// cut from one recording are strongly correlated, so letting them land on both
// sides of a split inflates test accuracy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace yono::data {

struct GroupSplit {
  std::vector<size_t> train, validation, test;  // group indices, ascending
};

// How many of a class's n groups split_groups_stratified sends to test and
// to validation; it needs n >= test + validation + 1. Exposed so callers can
// name the class (folder, file) that is too small before splitting.
struct ClassShare {
  size_t test = 0, validation = 0;
};
ClassShare class_share(size_t n, double test_fraction, double validation_fraction);

// group_labels[g] is the class of group g. Within every class, a seeded random
// round(test_fraction * n) groups (at least one when the fraction is > 0) go
// to test and, of the rest, round(validation_fraction * rest) (at least one
// when the fraction is > 0) to validation, so each class is present in every
// part asked for. Throws yono::Error when a class has too few groups for that.
GroupSplit split_groups_stratified(const std::vector<int32_t>& group_labels, int32_t classes,
                                   double test_fraction, double validation_fraction, uint64_t seed);

}  // namespace yono::data
