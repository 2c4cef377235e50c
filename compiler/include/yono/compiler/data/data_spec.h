// What a model is trained or scored on: a built-in task (tasks.h) or a user's
// data folder (data_layout.h), loaded into train/validation/test the same way
// for `yono train`, `yono eval` and `yono compress`, plus the one-line
// description the CLI prints so the user sees what was detected.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/dataset.h"

namespace yono::data {

// Options of a data folder. 0 / "" means "not given": the default applies,
// and an option given for a layout it does not apply to is an error (a
// silently ignored --window would hide a mistake).
struct UserDataOptions {
  // Image folders and IDX.
  int resize_height = 0, resize_width = 0;  // --resize HxW: scale every image to it
  int channels = 0;                         // --channels 1|3; default: 3 if any image is colour
  // Audio folders (the front end of audio_frontend.h).
  int sample_rate = 0;      // default 8000 Hz; every WAV must have it
  double clip_seconds = 0;  // default 1 s; clips are centred and padded/cropped to it
  std::string features;     // "log-mel" (default) or "mfcc"
  // Sensor folders (the front end of sensor_frontend.h).
  int window = 0, hop = 0;  // default 128 samples, hop window / 2
  // A folder without test/ (or IDX without t10k files) holds out this
  // fraction of every class for test, with a fixed seed of its own so that
  // `yono eval` finds the same hold-out whatever --seed training used.
  double holdout = 0.2;
  int threads = 2;  // image decoding
};

struct DataSpec {
  std::string task;  // a built-in task...
  std::string dir;   // ...or a data folder; exactly one is set
  UserDataOptions options;

  // The task, or the folder's last path component (models are named after it).
  std::string name() const;
};

enum class Modality { kImage, kAudio, kSensor };
const char* modality_name(Modality m);  // "image", "audio", "sensor"

struct DataDescription {
  std::string source;  // task name or folder
  std::string layout;  // "built-in task", "IDX", "image folders", "audio folders", "sensor folders"
  Modality modality = Modality::kImage;
  std::vector<std::string> class_names;
  std::vector<int64_t> sample_dims;
  size_t train = 0, validation = 0, test = 0;
  std::string test_origin;  // "test/", "t10k files", "20% stratified hold-out (seed 1)", ...
};

std::string shape_text(const std::vector<int64_t>& dims);  // "1x28x28"

// One line: layout, classes, sample shape, split sizes and where test came from.
std::string describe(const DataDescription& d);

// Loads spec with `seed` choosing the validation samples (and, for a task,
// whatever that task seeds). Throws yono::Error naming the file or folder at
// fault. `description`, when given, is filled.
Split load_split(const DataSpec& spec, uint64_t seed, DataDescription* description = nullptr);

}  // namespace yono::data
