#include "yono/compiler/measure/switch_bench.h"

#include "yono/compiler/error.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/compiler/measure/switch_measure.h"
#include "yono/compiler/measure/switch_storage.h"
#include "yono/compiler/pack/single_model_pack.h"

namespace yono::measure {
namespace {

uint32_t find(const Pack& pack, const std::string& path, const std::string& name,
              const char* option) {
  uint32_t index = 0;
  if (pack.find_model(name.c_str(), &index) != Status::kOk) {
    throw Error(path + ": no model named '" + name + "' (" + option +
                "); models: " + model_names(pack));
  }
  return index;
}

std::string command_line(const SwitchBenchOptions& o) {
  std::string c = "yono bench switch " + o.pack_path + " --from " + o.from + " --to " + o.to +
                  " --repeat " + std::to_string(o.repeat);
  if (!o.dir.empty()) c += " --dir " + o.dir;
  if (o.mcu.inference_instructions > 0) {
    c += " --mcu-inference-instructions " +
         std::to_string(static_cast<uint64_t>(o.mcu.inference_instructions));
  }
  if (!o.json_path.empty()) c += " --json " + o.json_path;
  return c;
}

}  // namespace

SwitchReport bench_switch(const SwitchBenchOptions& o) {
  if (o.repeat < 1 || o.repeat > kMaxSwitchRepeat) {
    throw Error("--repeat must be between 1 and " + std::to_string(kMaxSwitchRepeat) + ", got " +
                std::to_string(o.repeat));
  }
  check_sd_spi_model(o.sd);
  check_mcu_model(o.mcu);

  const std::unique_ptr<LoadedPack> loaded = load_pack(o.pack_path);
  const Pack& pack = loaded->pack;
  SwitchPlan plan;
  plan.pack = &pack;
  plan.from = find(pack, o.pack_path, o.from, "--from");
  plan.to = find(pack, o.pack_path, o.to, "--to");
  plan.repeat = o.repeat;

  const std::vector<uint8_t> alone = single_model_pack(pack, plan.to);
  const ScratchModelFile scratch(alone, o.to, o.dir, o.json_path);

  SwitchReport r;
  r.command = command_line(o);
  r.pack_path = o.pack_path;
  r.pack_bytes = pack.size();
  r.from = o.from;
  r.to = o.to;
  r.to_alone_bytes = alone.size();
  r.repeat = o.repeat;
  const SwitchMeasurement measured = measure_switch(plan, scratch.file());
  r.memory = measured.memory;
  r.file = measured.file;
  r.file_mode = scratch.mode_text();
  r.file_path = scratch.file().path;
  r.fallback_reason = scratch.fallback_reason();
  r.file_alignment = scratch.file().alignment;
  r.sd = o.sd;
  r.mcu = o.mcu;
  r.estimate = estimate_mcu_switch(alone.size(), o.mcu, o.sd);
  return r;
}

}  // namespace yono::measure
