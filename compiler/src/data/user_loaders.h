// The loaders behind load_split for a user's data folder, one per layout
// (data_layout.h), and the split they share. Private to compiler/src/data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/data_layout.h"
#include "yono/compiler/data/data_spec.h"
#include "yono/compiler/frontend/audio_frontend.h"

namespace yono::data {

// Everything a folder holds, before splitting.
struct UserCorpus {
  Modality modality = Modality::kImage;
  Dataset train;  // train/ (or the folder itself), or the IDX train files
  // Per train sample, the recording it was cut from (sensor windows), so no
  // recording lands on both sides of a split; empty = every sample its own.
  std::vector<size_t> train_groups;
  std::vector<std::string> class_places;  // per class: its folder (or labels file), for messages
  std::string unit;                       // what a group is, for messages: "images", ...
  bool has_test = false;
  Dataset test;
  std::string test_origin;  // "test/" or "t10k files" when has_test
};

// The audio front end's settings for --sample-rate / --clip-seconds.
frontend::AudioFrontendConfig user_audio_config(const UserDataOptions& options);

UserCorpus load_idx_folder(const DataLayout& layout, const UserDataOptions& options);
UserCorpus load_image_folders(const DataLayout& layout, const UserDataOptions& options);
UserCorpus load_audio_folders(const DataLayout& layout, const UserDataOptions& options);
UserCorpus load_sensor_folders(const DataLayout& layout, const UserDataOptions& options);

// Train/validation/test of a corpus: its own test split, or a stratified
// hold-out of options.holdout per class with a fixed seed; then a stratified
// tenth of the rest (at least one group per class) for validation, seeded by
// `seed`. *test_origin says which. Throws yono::Error naming the class whose
// folder has too few files for that.
Split split_user_corpus(UserCorpus& corpus, const UserDataOptions& options, uint64_t seed,
                        std::string* test_origin);

}  // namespace yono::data
