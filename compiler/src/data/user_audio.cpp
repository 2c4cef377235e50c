// A user's audio folders: every clip through the audio front end
// (audio_frontend.h) the FSDD task uses, at the user's rate and clip length.
#include <cmath>

#include "user_loaders.h"
#include "yono/compiler/data/tasks.h"
#include "yono/compiler/data/wav_reader.h"
#include "yono/compiler/error.h"
#include "yono/compiler/frontend/audio_features.h"

namespace yono::data {

frontend::AudioFrontendConfig user_audio_config(const UserDataOptions& o) {
  // FSDD's settings (8 kHz, 1 s) unless told otherwise; at another rate the
  // frames keep their duration (32 ms in a power-of-two FFT, 20 ms hop) and
  // the mel bands reach the Nyquist frequency.
  frontend::AudioFrontendConfig c = fsdd_audio_config();
  const int rate = o.sample_rate > 0 ? o.sample_rate : c.sample_rate;
  const double seconds = o.clip_seconds > 0 ? o.clip_seconds : 1.0;
  if (rate < 1000 || rate > 192000)
    throw Error("--sample-rate " + std::to_string(rate) + ": expected 1000..192000 Hz");
  if (rate != c.sample_rate) {
    c.sample_rate = rate;
    c.frame_length = 1 << static_cast<int>(std::lround(std::log2(0.032 * rate)));
    c.hop_length = static_cast<int>(std::lround(0.020 * rate));
    c.high_hz = rate / 2.0f;
  }
  c.clip_samples = static_cast<int>(std::lround(seconds * rate));
  if (c.clip_samples < c.frame_length)
    throw Error("--clip-seconds " + std::to_string(seconds) + ": shorter than one " +
                std::to_string(c.frame_length) + "-sample frame");
  return c;
}

UserCorpus load_audio_folders(const DataLayout& layout, const UserDataOptions& options) {
  const std::string kind = options.features.empty() ? "log-mel" : options.features;
  if (kind != "log-mel" && kind != "mfcc")
    throw Error("--features " + kind + ": expected log-mel or mfcc");
  frontend::AudioFeatures features(user_audio_config(options));
  const bool mfcc = kind == "mfcc";
  const std::vector<int64_t> dims = mfcc ? features.mfcc_dims() : features.log_mel_dims();
  auto load = [&](const ClassFiles& files) {
    Dataset d;
    d.sample_dims = dims;
    d.class_names = files.class_names;
    d.labels = files.labels;
    d.sources = files.files;
    const size_t numel = d.sample_numel();
    d.samples.resize(files.files.size() * numel);
    for (size_t i = 0; i < files.files.size(); ++i) {
      const std::vector<float> clip =
          read_wav_mono16(files.files[i], features.config().sample_rate);
      float* out = d.samples.data() + i * numel;
      if (mfcc) {
        features.mfcc(clip.data(), clip.size(), out);
      } else {
        features.log_mel(clip.data(), clip.size(), out);
      }
    }
    return d;
  };
  UserCorpus corpus;
  corpus.modality = Modality::kAudio;
  corpus.unit = "clips";
  corpus.train = load(layout.train);
  for (const std::string& name : layout.train.class_names)
    corpus.class_places.push_back(layout.train_dir + "/" + name);
  if (!layout.test_dir.empty()) {
    corpus.has_test = true;
    corpus.test_origin = "test/";
    corpus.test = load(layout.test);
  }
  return corpus;
}

}  // namespace yono::data
