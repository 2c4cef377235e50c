// `yono compress --activations int8`: the calibration half of compress
// (compiler/include/yono/compiler/quantize/), kept apart like fine-tuning.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/compiler/train/finetune_data.h"

namespace CLI {
class App;
}

namespace yono::cli {

struct Int8Args {
  std::string activations = "f32";  // --activations f32|int8
  std::vector<std::string> calib;   // --calib MODEL=FILE.npy
  size_t calib_samples = 512;       // --calib-samples N (from a --task/--data training split)
};

void add_int8_options(CLI::App& cmd, Int8Args& a);

// Refuses --calib/--calib-samples without --activations int8 and a --calib
// naming no model; cheap, so it runs before anything slow.
void check_int8_args(const Int8Args& a, const std::vector<ir::Graph>& models);

// Calibrates every model of `c` on its --calib array or its training split
// (calib_samples inputs spread evenly over it) and rewrites the pack for
// int8 activations; prints one line per model saying what runs in int8.
void quantize_activations(CompressedModels& c, const train::FinetuneData& tasks, const Int8Args& a);

}  // namespace yono::cli
