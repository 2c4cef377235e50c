#include <algorithm>
#include <cstdio>

#include "user_loaders.h"
#include "yono/compiler/data/group_split.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace {

// The hold-out's own seed: fixed, so `yono train --seed 7` and a later
// `yono eval` (default seed) hold out the same samples.
constexpr uint64_t kHoldoutSeed = 1;
// As for the built-in tasks: a tenth of what is left for training.
constexpr double kValidationFraction = 0.1;

// Sample indices, ascending, of the groups marked in `in_part`.
std::vector<size_t> samples_of(const std::vector<size_t>& group_of_sample,
                               const std::vector<char>& in_part) {
  std::vector<size_t> samples;
  for (size_t i = 0; i < group_of_sample.size(); ++i)
    if (in_part[group_of_sample[i]]) samples.push_back(i);
  return samples;
}

}  // namespace

Split split_user_corpus(UserCorpus& corpus, const UserDataOptions& options, uint64_t seed,
                        std::string* test_origin) {
  const Dataset& all = corpus.train;
  const auto classes = static_cast<int32_t>(all.class_names.size());
  std::vector<size_t> group_of = corpus.train_groups;
  if (group_of.empty())
    for (size_t i = 0; i < all.size(); ++i) group_of.push_back(i);
  size_t groups = 0;
  for (size_t g : group_of) groups = std::max(groups, g + 1);
  std::vector<int32_t> group_labels(groups, -1);
  for (size_t i = 0; i < all.size(); ++i) group_labels[group_of[i]] = all.labels[i];

  const double holdout = corpus.has_test ? 0.0 : options.holdout;
  if (!corpus.has_test && !(holdout > 0 && holdout < 1))
    throw Error("--holdout " + std::to_string(holdout) + ": must lie between 0 and 1");
  // Check every class before splitting, so the message names the folder.
  std::vector<size_t> per_class(static_cast<size_t>(classes), 0);
  for (int32_t label : group_labels)
    if (label >= 0) ++per_class[static_cast<size_t>(label)];
  for (int32_t c = 0; c < classes; ++c) {
    const size_t n = per_class[static_cast<size_t>(c)];
    const ClassShare share = class_share(n, holdout, kValidationFraction);
    const size_t need = share.test + share.validation + 1;
    if (n < need)
      throw Error(corpus.class_places[static_cast<size_t>(c)] + ": " + std::to_string(n) + " " +
                  corpus.unit + ", too few for " +
                  (corpus.has_test ? "validation and training"
                                   : "a hold-out test split, validation and training") +
                  " (needs at least " + std::to_string(need) + ")");
  }

  std::vector<size_t> rest(groups);
  for (size_t g = 0; g < groups; ++g) rest[g] = g;
  std::vector<char> in_test(groups, 0), in_validation(groups, 0), in_train(groups, 0);
  if (!corpus.has_test) {
    const GroupSplit h = split_groups_stratified(group_labels, classes, holdout, 0.0, kHoldoutSeed);
    for (size_t g : h.test) in_test[g] = 1;
    rest = h.train;
  }
  std::vector<int32_t> rest_labels;
  for (size_t g : rest) rest_labels.push_back(group_labels[g]);
  const GroupSplit v =
      split_groups_stratified(rest_labels, classes, 0.0, kValidationFraction, seed);
  for (size_t r : v.validation) in_validation[rest[r]] = 1;
  for (size_t r : v.train) in_train[rest[r]] = 1;

  Split split;
  split.train = select_samples(all, samples_of(group_of, in_train));
  split.validation = select_samples(all, samples_of(group_of, in_validation));
  if (corpus.has_test) {
    split.test = std::move(corpus.test);
    *test_origin = corpus.test_origin;
  } else {
    split.test = select_samples(all, samples_of(group_of, in_test));
    char text[96];
    std::snprintf(text, sizeof text, "%g%% of each class held out, seed %llu", 100.0 * holdout,
                  static_cast<unsigned long long>(kHoldoutSeed));
    *test_origin = text;
  }
  return split;
}

}  // namespace yono::data
