#include "yono/compiler/data/wav_reader.h"

#include <sndfile.h>

#include <cstdio>
#include <cstring>

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

uint32_t le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// libsndfile quietly reads what is there when a WAV's data chunk claims more
// bytes than the file holds; a cut-off recording must be an error instead,
// so the RIFF chunks are walked here first.
void check_data_chunk(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return;  // libsndfile says why below
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  uint8_t head[12];
  const bool riff = size >= 12 && std::fread(head, 1, 12, f) == 12 &&
                    std::memcmp(head, "RIFF", 4) == 0 && std::memcmp(head + 8, "WAVE", 4) == 0;
  long at = 12;
  while (riff && at + 8 <= size) {
    uint8_t chunk[8];
    if (std::fseek(f, at, SEEK_SET) != 0 || std::fread(chunk, 1, 8, f) != 8) break;
    const uint32_t bytes = le32(chunk + 4);
    if (std::memcmp(chunk, "data", 4) == 0) {
      std::fclose(f);
      const long held = size - at - 8;
      // 0xFFFFFFFF: a streaming writer that never knew the length; the
      // samples are whatever follows, as libsndfile reads them.
      if (bytes != 0xFFFFFFFFu && bytes > static_cast<unsigned long>(held))
        throw Error(path + ": data chunk claims " + std::to_string(bytes) +
                    " bytes but the file holds " + std::to_string(held) +
                    " after its header (cut off?)");
      if (bytes == 0) throw Error(path + ": the recording has no samples");
      return;
    }
    at += 8 + static_cast<long>(bytes) + (bytes & 1);  // chunks are padded to even sizes
  }
  std::fclose(f);
  if (riff) throw Error(path + ": no data chunk (not a complete WAV file)");
  // Not RIFF/WAVE: libsndfile says what it is below.
}

}  // namespace

std::vector<float> read_wav_mono16(const std::string& path, int expected_sample_rate) {
  check_data_chunk(path);
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
  if (info.frames <= 0) fail("the recording has no samples");
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
