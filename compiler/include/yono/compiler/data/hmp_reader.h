// The HMP wrist-accelerometer data set ("Dataset for ADL Recognition with
// Wrist-worn Accelerometer"): <dir>/<Activity>/Accelerometer-<date>-<activity>-<volunteer>.txt,
// one "x y z" line per sample at 32 Hz, each axis coded 0..63 over +-1.5 g.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/data/dataset.h"
#include "yono/compiler/frontend/sensor_frontend.h"

namespace yono::data {

struct HmpRecording {
  std::string path;
  std::string volunteer;  // e.g. "f1", "m3"; from the file name
  int32_t label = 0;
  std::vector<float> samples_g;  // samples x 3, time-major
};

struct HmpCorpus {
  std::vector<std::string> class_names;
  std::vector<HmpRecording> recordings;  // grouped by class, files sorted by name
};

float hmp_code_to_g(int code);  // -1.5 g + code / 63 * 3 g

// One recording file; throws yono::Error naming the file and line on a
// non-numeric line, a line without exactly three values, or a code outside 0..63.
std::vector<float> read_hmp_file(const std::string& path);

// The listed activity folders (in that order, which fixes the labels), or all
// of them sorted when `classes` is empty; *_MODEL folders are never recordings.
// Throws on a missing or empty activity folder.
HmpCorpus read_hmp(const std::string& dir, const std::vector<std::string>& classes = {});

// Windows of the chosen recordings as {axes, window} samples; sources are
// "<file>#<window index>".
Dataset hmp_windows(const HmpCorpus& corpus, const std::vector<size_t>& recordings,
                    const frontend::SensorFrontendConfig& config);

}  // namespace yono::data
