#include "yono/compiler/data/hmp_reader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "yono/compiler/error.h"

namespace yono::data {
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string volunteer_of(const fs::path& file) {
  const std::string stem = file.stem().string();
  const size_t dash = stem.rfind('-');
  return dash == std::string::npos ? std::string() : stem.substr(dash + 1);
}

}  // namespace

float hmp_code_to_g(int code) {
  return -1.5f + static_cast<float>(code) / 63.0f * 3.0f;
}

std::vector<float> read_hmp_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  std::vector<float> samples;
  std::string line;
  for (size_t line_no = 1; std::getline(in, line); ++line_no) {
    const char* p = line.c_str();
    int values = 0;
    for (;;) {
      while (*p == ' ' || *p == '\t' || *p == '\r') ++p;
      if (*p == '\0') break;
      char* end = nullptr;
      const long code = std::strtol(p, &end, 10);
      if (end == p || (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\r')) {
        throw Error(path + ":" + std::to_string(line_no) + ": non-numeric value in '" + line + "'");
      }
      if (code < 0 || code > 63) {
        throw Error(path + ":" + std::to_string(line_no) + ": code " + std::to_string(code) +
                    " outside 0..63");
      }
      if (++values > 3) break;
      samples.push_back(hmp_code_to_g(static_cast<int>(code)));
      p = end;
    }
    if (values == 0) continue;  // blank lines (e.g. at the end) carry no sample
    if (values != 3) {
      throw Error(path + ":" + std::to_string(line_no) + ": expected 3 values (x y z), found " +
                  (values > 3 ? std::string("more") : std::to_string(values)));
    }
  }
  if (samples.empty()) throw Error(path + ": no samples");
  return samples;
}

HmpCorpus read_hmp(const std::string& dir, const std::vector<std::string>& classes) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory");
  HmpCorpus corpus;
  corpus.class_names = classes;
  if (corpus.class_names.empty()) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory() && name[0] != '.' && !ends_with(name, "_MODEL")) {
        corpus.class_names.push_back(name);
      }
    }
    std::sort(corpus.class_names.begin(), corpus.class_names.end());
  }
  for (size_t c = 0; c < corpus.class_names.size(); ++c) {
    const fs::path class_dir = fs::path(dir) / corpus.class_names[c];
    if (!fs::is_directory(class_dir, ec))
      throw Error(class_dir.string() + ": no such activity folder");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(class_dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".txt")
        files.push_back(entry.path());
    }
    if (files.empty()) throw Error(class_dir.string() + ": empty activity folder (no .txt)");
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      HmpRecording r;
      r.path = file.string();
      r.volunteer = volunteer_of(file);
      r.label = static_cast<int32_t>(c);
      r.samples_g = read_hmp_file(r.path);
      corpus.recordings.push_back(std::move(r));
    }
  }
  return corpus;
}

Dataset hmp_windows(const HmpCorpus& corpus, const std::vector<size_t>& recordings,
                    const frontend::SensorFrontendConfig& config) {
  if (config.axes != 3) throw Error("hmp: the sensor front end must use 3 axes");
  Dataset out;
  out.sample_dims = {frontend::sensor_channels(config), config.window};
  out.class_names = corpus.class_names;
  const size_t numel = out.sample_numel();
  for (size_t r : recordings) {
    const HmpRecording& rec = corpus.recordings.at(r);
    const size_t samples = rec.samples_g.size() / 3;
    const int windows = frontend::sensor_window_count(config, samples);
    for (int w = 0; w < windows; ++w) {
      out.samples.resize(out.samples.size() + numel);
      frontend::sensor_window(config, rec.samples_g.data(), samples, w,
                              out.samples.data() + out.samples.size() - numel);
      out.labels.push_back(rec.label);
      out.sources.push_back(rec.path + "#" + std::to_string(w));
    }
  }
  return out;
}

}  // namespace yono::data
