#include "yono/compiler/data/group_split.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "yono/compiler/data/dataset.h"
#include "yono/compiler/error.h"

namespace yono::data {

ClassShare class_share(size_t n, double test_fraction, double validation_fraction) {
  // A fraction of 0 means "no such part" (a data set whose test split is
  // given separately); any other fraction gets at least one group per class.
  ClassShare share;
  if (test_fraction > 0)
    share.test = std::max<size_t>(1, static_cast<size_t>(std::lround(test_fraction * n)));
  const size_t rest = n > share.test ? n - share.test : 0;
  if (validation_fraction > 0)
    share.validation =
        std::max<size_t>(1, static_cast<size_t>(std::lround(validation_fraction * rest)));
  return share;
}

GroupSplit split_groups_stratified(const std::vector<int32_t>& group_labels, int32_t classes,
                                   double test_fraction, double validation_fraction,
                                   uint64_t seed) {
  GroupSplit split;
  for (int32_t c = 0; c < classes; ++c) {
    std::vector<size_t> members;
    for (size_t g = 0; g < group_labels.size(); ++g) {
      if (group_labels[g] == c) members.push_back(g);
    }
    const size_t n = members.size();
    const ClassShare share = class_share(n, test_fraction, validation_fraction);
    const size_t n_test = share.test, n_validation = share.validation;
    if (n < n_test + n_validation + 1) {
      throw Error("split: class " + std::to_string(c) + " has " + std::to_string(n) +
                  " groups, too few for train, validation and test");
    }
    // A different stream per class so adding a class does not reshuffle the others.
    const std::vector<size_t> order = seeded_permutation(n, seed + 0x9E3779B97F4A7C15ull * (c + 1));
    for (size_t i = 0; i < n; ++i) {
      const size_t g = members[order[i]];
      if (i < n_test) {
        split.test.push_back(g);
      } else if (i < n_test + n_validation) {
        split.validation.push_back(g);
      } else {
        split.train.push_back(g);
      }
    }
  }
  for (auto* part : {&split.train, &split.validation, &split.test})
    std::sort(part->begin(), part->end());
  return split;
}

}  // namespace yono::data
