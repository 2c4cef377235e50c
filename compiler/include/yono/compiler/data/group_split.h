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

// group_labels[g] is the class of group g. Within every class, a seeded random
// round(test_fraction * n) groups (at least one) go to test and, of the rest,
// round(validation_fraction * rest) (at least one when the fraction is > 0)
// to validation, so each class is present in every part. Throws yono::Error
// when a class has too few groups for that.
GroupSplit split_groups_stratified(const std::vector<int32_t>& group_labels, int32_t classes,
                                   double test_fraction, double validation_fraction, uint64_t seed);

}  // namespace yono::data
