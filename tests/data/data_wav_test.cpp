#include <gtest/gtest.h>
#include <sndfile.h>

#include "data_test_support.h"
#include "yono/compiler/data/wav_reader.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

void write_wav(const std::string& path, int rate, int channels, int subformat,
               const std::vector<short>& samples) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | subformat;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  ASSERT_EQ(sf_write_short(f, samples.data(), static_cast<sf_count_t>(samples.size())),
            static_cast<sf_count_t>(samples.size()));
  sf_close(f);
}

TEST(WavReader, ReadsMono16BitScaledToUnitRange) {
  TempDir dir;
  const std::string path = dir.file("0_test_1.wav");
  const std::vector<short> pcm = {0, 16384, -16384, 32767, -32768, 1};
  write_wav(path, 8000, 1, SF_FORMAT_PCM_16, pcm);
  const std::vector<float> s = read_wav_mono16(path, 8000);
  ASSERT_EQ(s.size(), pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) EXPECT_FLOAT_EQ(s[i], pcm[i] / 32768.0f);
}

TEST(WavReader, WrongSampleRateNamesFileAndBothRates) {
  TempDir dir;
  const std::string path = dir.file("fast.wav");
  write_wav(path, 16000, 1, SF_FORMAT_PCM_16, std::vector<short>(100, 3));
  expect_error_naming(
      path, [&] { read_wav_mono16(path, 8000); }, "16000 Hz, expected 8000 Hz");
}

TEST(WavReader, WrongSampleWidthIsRejected) {
  TempDir dir;
  const std::string u8 = dir.file("eight.wav"), s24 = dir.file("twentyfour.wav");
  write_wav(u8, 8000, 1, SF_FORMAT_PCM_U8, std::vector<short>(100, 256));
  write_wav(s24, 8000, 1, SF_FORMAT_PCM_24, std::vector<short>(100, 256));
  expect_error_naming(
      u8, [&] { read_wav_mono16(u8, 8000); }, "8-bit");
  expect_error_naming(
      s24, [&] { read_wav_mono16(s24, 8000); }, "24-bit");
}

TEST(WavReader, StereoIsRejected) {
  TempDir dir;
  const std::string path = dir.file("stereo.wav");
  write_wav(path, 8000, 2, SF_FORMAT_PCM_16, std::vector<short>(200, 5));
  expect_error_naming(
      path, [&] { read_wav_mono16(path, 8000); }, "2 channels");
}

TEST(WavReader, GarbageAndMissingFilesNamed) {
  TempDir dir;
  const std::string garbage = dir.file("garbage.wav");
  test::write_text(garbage, "RIFF but not really a wave file at all");
  expect_error_naming(
      garbage, [&] { read_wav_mono16(garbage, 8000); }, "cannot read audio");
  const std::string missing = dir.path() + "/missing.wav";
  expect_error_naming(
      missing, [&] { read_wav_mono16(missing, 8000); }, "cannot read audio");
}

// A data chunk that claims more than the file holds is a cut-off recording,
// not a shorter one; libsndfile alone would read what is there.
TEST(WavReader, CutOffAndEmptyRecordingsAreErrors) {
  TempDir dir;
  const std::string cut = dir.file("cut.wav");
  write_wav(cut, 8000, 1, SF_FORMAT_PCM_16, std::vector<short>(2000, 5));
  std::vector<uint8_t> bytes = test::read_bytes(cut);
  ASSERT_GE(bytes.size(), 44u);
  ASSERT_EQ(std::string(bytes.begin() + 36, bytes.begin() + 40), "data");
  const uint32_t claimed = 10'000'000;
  for (int i = 0; i < 4; ++i) bytes[40 + i] = static_cast<uint8_t>(claimed >> (8 * i));
  test::write_bytes(cut, bytes);
  expect_error_naming(
      cut, [&] { read_wav_mono16(cut, 8000); },
      "data chunk claims 10000000 bytes but the file holds 4000");

  const std::string empty = dir.file("empty.wav");
  write_wav(empty, 8000, 1, SF_FORMAT_PCM_16, {});
  expect_error_naming(
      empty, [&] { read_wav_mono16(empty, 8000); }, "no samples");
}

}  // namespace
}  // namespace yono::data
