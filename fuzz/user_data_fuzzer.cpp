// Fuzz target: a user's data folder as `yono train --data` reads it
// (compiler/src/data: data_layout.cpp detection, class_folders.cpp, the
// loaders user_idx/user_images/user_audio/user_sensor.cpp with the readers
// under them, and the stratified hold-out of user_split.cpp), via
// load_split. The input is a small folder tree (folder_archive.h) written
// into a fresh scratch folder on every run:
//   byte 0   option bits, given only for the layout they apply to (an
//            option for another layout is refused before anything is read):
//            images/IDX: bit 0 --resize 6x5, bits 1-2 --channels (default/1/3/default);
//            audio: bit 0 --features mfcc, bit 1 --sample-rate 16000;
//            sensor: bit 0 --window 8 (else 16), bit 1 --hop 3;
//            no test split: bit 3 --holdout 0.5
//   byte 1   the validation seed
//   rest     the archive
// Seeds: fuzz/corpus/user_data (one tiny folder per layout, with and
// without test/).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "folder_archive.h"
#include "fuzz_support.h"
#include "yono/compiler/data/data_layout.h"
#include "yono/compiler/data/data_spec.h"

namespace {

yono::data::UserDataOptions options_for(const yono::data::DataLayout& layout, uint8_t bits) {
  using yono::data::Layout;
  yono::data::UserDataOptions o;
  o.threads = 1;  // one process per fuzzer; threads only add nondeterminism
  switch (layout.layout) {
    case Layout::kIdx:
    case Layout::kImageFolders:
      if (bits & 1) {
        o.resize_height = 6;
        o.resize_width = 5;
      }
      o.channels = (bits >> 1 & 3) == 1 ? 1 : (bits >> 1 & 3) == 2 ? 3 : 0;
      break;
    case Layout::kAudioFolders:
      if (bits & 1) o.features = "mfcc";
      if (bits & 2) o.sample_rate = 16000;
      o.clip_seconds = 0.25;  // a quarter of the default's work per clip
      break;
    case Layout::kSensorFolders:
      o.window = (bits & 1) ? 8 : 16;
      if (bits & 2) o.hop = 3;
      break;
  }
  const bool has_test =
      layout.layout == Layout::kIdx ? !layout.test_images.empty() : !layout.test_dir.empty();
  if (!has_test && (bits & 8)) o.holdout = 0.5;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  yono::fuzz::clear_scratch_dir();
  const std::string dir = yono::fuzz::scratch_dir() + "/data";
  std::filesystem::create_directory(dir);
  yono::fuzz::unpack_folder_archive(data + 2, size - 2, dir);
  yono::fuzz::expect_only_yono_errors("load_split", [&] {
    yono::data::DataSpec spec;
    spec.dir = dir;
    spec.options = options_for(yono::data::detect_layout(dir), data[0]);
    yono::data::DataDescription description;
    const yono::data::Split split = yono::data::load_split(spec, data[1], &description);
    (void)yono::data::describe(description);
    (void)yono::data::fingerprint(split);
  });
  return 0;
}
