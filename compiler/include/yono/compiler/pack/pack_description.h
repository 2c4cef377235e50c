// What a pack holds and what it will cost on the device (weight bytes in
// flash, arena bytes in RAM), per model and per layer, and how that compares
// with storing every conv/dense weight as float32 or int8 (pack_sizes.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "yono/pack.h"

namespace yono {

// Everything `yono inspect` shows, in one structure; its text form is printed
// from this so the two forms cannot disagree. `path` is recorded as "file".
nlohmann::json describe_pack(const std::string& path, const Pack& pack);

// `yono inspect GROWN --against BASE`: what a device holding `base` must
// receive to hold `pack` (pack_delta), each changed run of bytes labelled
// with the part of the base it overwrites, the models the base lacks, and
// whether every base section other than Models kept its bytes.
nlohmann::json describe_delta(const std::string& path, const Pack& pack,
                              const std::string& base_path, const Pack& base);

}  // namespace yono
