// Free Spoken Digit Dataset: recordings/{digit}_{speaker}_{index}.wav.
#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "task_loaders.h"
#include "yono/compiler/data/data_path.h"
#include "yono/compiler/data/tasks.h"
#include "yono/compiler/data/wav_reader.h"
#include "yono/compiler/error.h"
#include "yono/compiler/frontend/audio_features.h"

namespace yono::data {
namespace fs = std::filesystem;

frontend::AudioFrontendConfig fsdd_audio_config() {
  // The defaults are chosen for exactly this: 8 kHz, 1 s, 49 x 40.
  return frontend::AudioFrontendConfig{};
}

namespace {

constexpr int kOfficialTestIndices = 5;  // index 0-4 of every digit and speaker
constexpr size_t kValidation = 270;      // 10 % of the official training part

struct Recording {
  std::string path;
  int32_t digit = 0;
  int index = 0;
};

Recording parse_name(const fs::path& file) {
  const std::string stem = file.stem().string();
  const size_t first = stem.find('_'), last = stem.rfind('_');
  Recording r;
  r.path = file.string();
  try {
    if (first == std::string::npos || first == last) throw std::invalid_argument("");
    size_t used = 0;
    r.digit = std::stoi(stem.substr(0, first), &used);
    if (used != first || r.digit < 0 || r.digit > 9) throw std::invalid_argument("");
    r.index = std::stoi(stem.substr(last + 1), &used);
    if (used != stem.size() - last - 1) throw std::invalid_argument("");
  } catch (const std::logic_error&) {
    throw Error(r.path + ": name is not {digit}_{speaker}_{index}.wav");
  }
  return r;
}

}  // namespace

Split load_fsdd(uint64_t seed, bool mfcc) {
  const std::string dir = find_dataset_dir("fsdd/recordings");
  std::vector<Recording> recordings;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".wav") {
      recordings.push_back(parse_name(entry.path()));
    }
  }
  if (recordings.empty()) throw Error(dir + ": no .wav recordings");
  std::sort(recordings.begin(), recordings.end(),
            [](const Recording& a, const Recording& b) { return a.path < b.path; });

  frontend::AudioFeatures features(fsdd_audio_config());
  const std::vector<int64_t> dims = mfcc ? features.mfcc_dims() : features.log_mel_dims();
  Split split;
  for (Dataset* d : {&split.train, &split.test}) {
    d->sample_dims = dims;
    for (int digit = 0; digit < 10; ++digit) d->class_names.push_back(std::to_string(digit));
  }
  size_t numel = 1;
  for (int64_t d : dims) numel *= static_cast<size_t>(d);
  for (const Recording& r : recordings) {
    const std::vector<float> clip = read_wav_mono16(r.path, features.config().sample_rate);
    Dataset& part = r.index < kOfficialTestIndices ? split.test : split.train;
    part.samples.resize(part.samples.size() + numel);
    float* out = part.samples.data() + part.samples.size() - numel;
    if (mfcc) {
      features.mfcc(clip.data(), clip.size(), out);
    } else {
      features.log_mel(clip.data(), clip.size(), out);
    }
    part.labels.push_back(r.digit);
    part.sources.push_back(r.path);
  }
  split.validation =
      carve_validation(split.train, std::min(kValidation, split.train.size() / 10), seed);
  return split;
}

}  // namespace yono::data
