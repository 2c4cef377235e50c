// Mono 16-bit PCM audio clips (FSDD and similar keyword data sets). Anything
// else is rejected rather than converted, because the on-device front end
// will only ever see 16-bit samples at one fixed rate.
#pragma once

#include <string>
#include <vector>

namespace yono::data {

// Samples scaled to [-1, 1). Throws yono::Error naming the file when it is
// unreadable, not mono, not 16-bit PCM, or not at expected_sample_rate.
std::vector<float> read_wav_mono16(const std::string& path, int expected_sample_rate);

}  // namespace yono::data
