// Fuzz target: the WAV reader (compiler/src/data/wav_reader.cpp, through
// libsndfile): read_wav_mono16 on the input written as a .wav file, at the
// 8 kHz the audio tasks use. An accepted clip goes through the audio front
// end (log-mel), as an audio folder's clips do.
// Seeds: fuzz/corpus/wav_reader (short mono 16-bit clips, and a stereo and
// an 8-bit one that must be refused).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "yono/compiler/data/wav_reader.h"
#include "yono/compiler/frontend/audio_features.h"

namespace {

// A quarter-second clip: features of the whole clip (centred, padded or
// cropped like a 1 s one) at a quarter of the cost.
yono::frontend::AudioFrontendConfig short_clips() {
  yono::frontend::AudioFrontendConfig c;
  c.clip_samples = 2000;
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static yono::frontend::AudioFeatures features(short_clips());
  const std::string path = yono::fuzz::write_scratch_file("clip.wav", data, size);
  yono::fuzz::expect_only_yono_errors("read_wav_mono16", [&] {
    const std::vector<float> clip = yono::data::read_wav_mono16(path, 8000);
    size_t values = 1;
    for (const int64_t d : features.log_mel_dims()) values *= static_cast<size_t>(d);
    std::vector<float> out(values);
    features.log_mel(clip.data(), clip.size(), out.data());
  });
  return 0;
}
