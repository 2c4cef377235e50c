#include "yono/compiler/data/wav_reader.h"

#include <sndfile.h>

#include "yono/compiler/error.h"

namespace yono::data {
namespace {

std::string describe_subformat(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "8-bit signed PCM";
    case SF_FORMAT_PCM_U8: return "8-bit unsigned PCM";
    case SF_FORMAT_PCM_24: return "24-bit PCM";
    case SF_FORMAT_PCM_32: return "32-bit PCM";
    case SF_FORMAT_FLOAT: return "32-bit float";
    case SF_FORMAT_DOUBLE: return "64-bit float";
    default: return "sample format " + std::to_string(format & SF_FORMAT_SUBMASK);
  }
}

}  // namespace

std::vector<float> read_wav_mono16(const std::string& path, int expected_sample_rate) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) throw Error(path + ": cannot read audio (" + sf_strerror(nullptr) + ")");
  auto fail = [&](const std::string& why) {
    sf_close(file);
    throw Error(path + ": " + why);
  };
  if ((info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_PCM_16) {
    fail(describe_subformat(info.format) + ", expected 16-bit PCM");
  }
  if (info.channels != 1) fail(std::to_string(info.channels) + " channels, expected mono");
  if (info.samplerate != expected_sample_rate) {
    fail("sample rate " + std::to_string(info.samplerate) + " Hz, expected " +
         std::to_string(expected_sample_rate) + " Hz");
  }
  std::vector<short> pcm(static_cast<size_t>(info.frames));
  const sf_count_t got = sf_readf_short(file, pcm.data(), info.frames);
  sf_close(file);
  if (got != info.frames) {
    throw Error(path + ": truncated audio (" + std::to_string(got) + " of " +
                std::to_string(info.frames) + " samples)");
  }
  std::vector<float> samples(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) samples[i] = pcm[i] / 32768.0f;
  return samples;
}

}  // namespace yono::data
