// Calibration writes the model as a one-model pack whose activations each
// keep their own arena range (ArenaReuse::kNone), runs it sample by sample
// with a Session and reads every activation after each run.
#include "yono/compiler/quantize/calibrate.h"

#include <cmath>
#include <cstring>

#include "yono/compiler/error.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/session.h"

namespace yono::quantize {

std::vector<TensorRange> calibrate(const ir::Graph& g, const std::vector<ir::Codebook>& codebooks,
                                   const std::vector<const float*>& samples) {
  if (g.inputs.size() != 1)
    throw Error("model '" + g.name + "': calibration needs a model with one input");
  PackWriteOptions options;
  options.distinct_activations = true;
  const std::vector<uint8_t> bytes = write_pack({g}, codebooks, options);
  const std::unique_ptr<LoadedPack> loaded = check_written_pack(g.name + " (calibration)", bytes);
  const Pack& pack = loaded->pack;
  AlignedBuffer arena = host_arena(pack, {0}, "model '" + g.name + "' (calibration)");
  Session session(pack, arena.data(), arena.size());
  if (session.select(0) != Status::kOk)
    throw Error("model '" + g.name + "': calibration could not select the model");

  const std::vector<int> stored = stored_tensors(g);
  const PackSegment& seg = pack.model_segment(0);
  const ModelRecord& m = pack.models()[0];
  std::vector<TensorRange> ranges(g.tensors.size());
  const TensorView in = session.input(0);
  for (const float* sample : samples) {
    std::memcpy(in.data, sample, size_t{in.element_count} * sizeof(float));
    if (session.invoke() != Status::kOk)
      throw Error("model '" + g.name + "': calibration run failed");
    for (size_t k = 0; k < stored.size(); ++k) {
      const TensorRecord& r = seg.tensors[m.first_tensor + k];
      if (r.kind != static_cast<uint8_t>(TensorKind::kActivation)) continue;
      const float* v = reinterpret_cast<const float*>(arena.data() + r.offset);
      TensorRange& range = ranges[static_cast<size_t>(stored[k])];
      for (uint32_t i = 0; i < r.size / 4; ++i) {
        if (std::isnan(v[i])) continue;
        range.min = std::min(range.min, v[i]);
        range.max = std::max(range.max, v[i]);
      }
    }
  }
  return ranges;
}

}  // namespace yono::quantize
