// load_split: a task through tasks.h, a folder through its layout's loader
// and the shared split; and the line that tells the user what was found.
#include "yono/compiler/data/data_spec.h"

#include <filesystem>

#include "user_loaders.h"
#include "yono/compiler/data/data_layout.h"
#include "yono/compiler/data/tasks.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace fs = std::filesystem;

std::string DataSpec::name() const {
  if (!task.empty()) return task;
  fs::path p = fs::path(dir).lexically_normal();
  while (!p.empty() && p.filename().empty()) p = p.parent_path();  // "d/" -> "d"
  std::string n = p.filename().string();
  if (n.empty() || n == "." || n == "..") {
    std::error_code ec;
    n = fs::weakly_canonical(fs::absolute(dir), ec).filename().string();
  }
  return n.empty() ? "data" : n;
}

const char* modality_name(Modality m) {
  switch (m) {
    case Modality::kImage: return "image";
    case Modality::kAudio: return "audio";
    case Modality::kSensor: return "sensor";
  }
  return "?";
}

std::string shape_text(const std::vector<int64_t>& dims) {
  std::string s;
  for (int64_t d : dims) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

std::string describe(const DataDescription& d) {
  constexpr size_t kNamesShown = 8;
  std::string names;
  for (size_t i = 0; i < d.class_names.size() && i < kNamesShown; ++i)
    names += (i == 0 ? "" : ", ") + d.class_names[i];
  if (d.class_names.size() > kNamesShown) names += ", ...";
  return d.source + ": " + d.layout + " (" + modality_name(d.modality) + "), " +
         std::to_string(d.class_names.size()) + " classes [" + names + "], samples " +
         shape_text(d.sample_dims) + ", " + std::to_string(d.train) + " train / " +
         std::to_string(d.validation) + " validation / " + std::to_string(d.test) +
         " test (test: " + d.test_origin + ")";
}

namespace {

Modality task_modality(const std::string& task) {
  if (task == "fsdd" || task == "fsdd-mfcc") return Modality::kAudio;
  if (task == "hmp") return Modality::kSensor;
  return Modality::kImage;
}

// An option the layout would ignore is refused: it was given for a reason.
void check_options_apply(const UserDataOptions& o, const std::string& what, bool images, bool audio,
                         bool sensor, bool holdout) {
  auto refuse = [&](bool given, bool applies, const char* flag, const char* where) {
    if (given && !applies)
      throw Error(std::string(flag) + " applies to " + where + ", not to " + what);
  };
  refuse(o.resize_height > 0, images, "--resize", "image data");
  refuse(o.channels > 0, images, "--channels", "image data");
  refuse(o.sample_rate > 0, audio, "--sample-rate", "audio folders");
  refuse(o.clip_seconds > 0, audio, "--clip-seconds", "audio folders");
  refuse(!o.features.empty(), audio, "--features", "audio folders");
  refuse(o.window > 0, sensor, "--window", "sensor folders");
  refuse(o.hop > 0, sensor, "--hop", "sensor folders");
  refuse(o.holdout != UserDataOptions{}.holdout, holdout, "--holdout",
         "data folders without a test split");
}

Split load_folder(const DataSpec& spec, uint64_t seed, DataDescription* description) {
  const DataLayout layout = detect_layout(spec.dir);
  const Layout l = layout.layout;
  const bool has_test = l == Layout::kIdx ? !layout.test_images.empty() : !layout.test_dir.empty();
  check_options_apply(spec.options, spec.dir + " (" + layout_name(l) + ")",
                      l == Layout::kIdx || l == Layout::kImageFolders, l == Layout::kAudioFolders,
                      l == Layout::kSensorFolders, !has_test);
  UserCorpus corpus;
  switch (l) {
    case Layout::kIdx: corpus = load_idx_folder(layout, spec.options); break;
    case Layout::kImageFolders: corpus = load_image_folders(layout, spec.options); break;
    case Layout::kAudioFolders: corpus = load_audio_folders(layout, spec.options); break;
    case Layout::kSensorFolders: corpus = load_sensor_folders(layout, spec.options); break;
  }
  description->layout = layout_name(l);
  description->modality = corpus.modality;
  return split_user_corpus(corpus, spec.options, seed, &description->test_origin);
}

}  // namespace

Split load_split(const DataSpec& spec, uint64_t seed, DataDescription* description) {
  if (spec.task.empty() == spec.dir.empty())
    throw Error("give either a task or a data folder, not " +
                std::string(spec.task.empty() ? "neither" : "both"));
  DataDescription local;
  DataDescription& d = description != nullptr ? *description : local;
  d = DataDescription{};
  d.source = spec.task.empty() ? spec.dir : spec.task;
  Split split;
  if (!spec.task.empty()) {
    check_options_apply(spec.options, "task " + spec.task, false, false, false, false);
    split = load_task(spec.task, seed);
    d.layout = "built-in task";
    d.modality = task_modality(spec.task);
    d.test_origin = "the task's test split";
  } else {
    split = load_folder(spec, seed, &d);
  }
  // An empty split would train on nothing or report an accuracy of nothing.
  if (split.train.size() == 0) throw Error(d.source + ": the training split has no samples");
  if (split.test.size() == 0)
    throw Error(d.source + ": the test split (" + d.test_origin + ") has no samples");
  d.class_names = split.train.class_names;
  d.sample_dims = split.train.sample_dims;
  d.train = split.train.size();
  d.validation = split.validation.size();
  d.test = split.test.size();
  return split;
}

}  // namespace yono::data
