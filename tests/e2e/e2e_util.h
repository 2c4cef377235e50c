// Helpers for the end-to-end tests: fixture paths, scratch directories, and
// running a model of a pack through the real runtime.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "yono/compiler/io/aligned_buffer.h"
#include "yono/pack.h"

namespace yono::e2e {

// Every model made by scripts/make_fixtures.py.
inline const std::vector<std::string>& fixture_names() {
  static const std::vector<std::string> names = {
      "lenet5",        "mlp_softmax",       "ds_cnn_kws",
      "resnet_small",  "sensor_1d",         "relu6_hardswish",
      "concat_net",    "channels_last_cnn", "channels_first_cnn",
      "tcn_last_step", "reduce_matmul",     "resize_pad_net",
      "broadcast_ops"};
  return names;
}

// The fixture's input in the layout its pack takes: where the importer
// folded the model's input Transpose (channels_last_cnn), the array is
// rearranged by the layout the import recorded.
std::vector<float> fixture_input(const std::string& name);

inline std::string fixture(const std::string& file) {
  return std::string(YONO_FIXTURES_DIR) + "/" + file;
}

// A fresh directory per test, removed when the test ends.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string path(const std::string& file) const { return (dir_ / file).string(); }

 private:
  std::filesystem::path dir_;
};

// The fixtures `names` imported and written as one pack: float32, or
// compressed with the default options (shared-codebook PQ) when `pq`.
std::vector<uint8_t> fixture_pack(const std::vector<std::string>& names, bool pq);

// Opens `pack_bytes` with yono::Pack, runs model `name` on `input` in a
// Session and returns its single output. Fails the test on any error status.
std::vector<float> run_in_session(const std::vector<uint8_t>& pack_bytes, const std::string& name,
                                  const std::vector<float>& input);

// The `yono` binary run with `args`; stdout and stderr are captured through
// files in `dir`.
struct YonoRun {
  int exit_code = -1;
  std::string out, err;
};
YonoRun run_yono(const ScratchDir& dir, const std::vector<std::string>& args);

// `yono args` must fail the promised way on bad input: exit 2, one line on
// stderr starting "yono: error: " and holding `mention`, and no `output`.
void expect_refused(const ScratchDir& dir, const std::vector<std::string>& args,
                    const std::string& mention, const std::string& output);

// A pack opened in place from a 16-byte aligned copy of `bytes`, as it sits
// in flash on a device; status is the reader's verdict.
struct AlignedPack {
  explicit AlignedPack(const std::vector<uint8_t>& bytes);
  AlignedBuffer storage;
  Pack pack;
  Status status = Status::kInvalidArgument;
};

float max_abs_error(const std::vector<float>& got, const std::vector<float>& want);

constexpr float kTolerance = 1e-4f;

}  // namespace yono::e2e
