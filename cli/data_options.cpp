#include "data_options.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "yono/compiler/error.h"

namespace yono::cli {

void add_data_options(CLI::App& cmd, DataArgs& a) {
  data::UserDataOptions& o = a.options;
  a.flags = {
      cmd.add_option("--resize", a.resize,
                     "Data folder images: scale every image to HxW (e.g. 28x28); without it "
                     "every image must have the same size"),
      cmd.add_option("--channels", o.channels,
                     "Data folder images: 1 (grey) or 3 (RGB); default 3 if any image is colour")
          ->check(CLI::IsMember({1, 3})),
      cmd.add_option("--sample-rate", o.sample_rate,
                     "Data folder audio: the WAVs' sample rate in Hz (default 8000); a WAV at "
                     "another rate is an error")
          ->check(CLI::PositiveNumber),
      cmd.add_option("--clip-seconds", o.clip_seconds,
                     "Data folder audio: clip length the front end centres, pads or crops every "
                     "WAV to (default 1)")
          ->check(CLI::PositiveNumber),
      cmd.add_option("--features", o.features,
                     "Data folder audio: log-mel (default, 40 bands) or mfcc (13 coefficients)")
          ->check(CLI::IsMember({"log-mel", "mfcc"})),
      cmd.add_option("--window", o.window,
                     "Data folder sensor recordings: samples per window (default 128)")
          ->check(CLI::PositiveNumber),
      cmd.add_option("--hop", o.hop,
                     "Data folder sensor recordings: samples between window starts (default "
                     "window / 2)")
          ->check(CLI::PositiveNumber),
      cmd.add_option("--holdout", o.holdout,
                     "Data folder without test/ (or t10k files): fraction of each class held out "
                     "for test, with a fixed seed (default 0.2)")
          ->check(CLI::Range(0.0, 1.0)),
  };
}

data::UserDataOptions data_options(const DataArgs& a, bool have_data_folder) {
  for (const CLI::Option* flag : a.flags)
    if (flag->count() > 0 && !have_data_folder)
      throw Error(flag->get_name() + " applies to data folders; give --data");
  data::UserDataOptions o = a.options;
  if (!a.resize.empty()) {
    const size_t x = a.resize.find('x');
    char* end_h = nullptr;
    char* end_w = nullptr;
    const long h = std::strtol(a.resize.c_str(), &end_h, 10);
    const long w = x == std::string::npos ? 0 : std::strtol(a.resize.c_str() + x + 1, &end_w, 10);
    if (x == std::string::npos || end_h != a.resize.c_str() + x || end_w == nullptr ||
        *end_w != '\0' || h < 1 || w < 1 || h > 4096 || w > 4096)
      throw Error("--resize " + a.resize + ": expected HxW, e.g. 28x28");
    o.resize_height = static_cast<int>(h);
    o.resize_width = static_cast<int>(w);
  }
  return o;
}

data::DataSpec data_spec(const std::string& task, const std::string& dir, const DataArgs& a) {
  data::DataSpec spec;
  spec.task = task;
  spec.dir = dir;
  spec.options = data_options(a, !dir.empty());
  if (spec.task.empty() == spec.dir.empty()) throw Error("give --task or --data (one of them)");
  return spec;
}

void print_data_description(const data::DataDescription& d) {
  std::fprintf(stderr, "yono: data: %s\n", data::describe(d).c_str());
}

}  // namespace yono::cli
