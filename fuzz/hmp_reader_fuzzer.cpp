// Fuzz target: the HMP recording reader (compiler/src/data/hmp_reader.cpp):
// read_hmp_file on the input written as a recording, then hmp_windows over
// it with the HMP task's sensor front end settings, as the hmp task does.
// Seeds: fuzz/corpus/hmp_reader (short "x y z" recordings).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "yono/compiler/data/hmp_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path =
      yono::fuzz::write_scratch_file("Accelerometer-2011-01-01-walk-f1.txt", data, size);
  yono::fuzz::expect_only_yono_errors("read_hmp_file", [&] {
    yono::data::HmpCorpus corpus;
    corpus.class_names = {"walk"};
    yono::data::HmpRecording recording;
    recording.path = path;
    recording.samples_g = yono::data::read_hmp_file(path);
    corpus.recordings.push_back(recording);
    yono::frontend::SensorFrontendConfig config;
    config.window = 16;  // short windows, so a small input gives several
    config.hop = 8;
    config.gravity_window = 5;
    config.magnitude = true;
    (void)yono::data::hmp_windows(corpus, {0}, config);
  });
  return 0;
}
