// The firmware images of `yono bench mcu`, measured one after another.
#include "yono/compiler/measure/mcu_bench.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/measure/elf_sections.h"
#include "yono/compiler/measure/firmware_report.h"
#include "yono/compiler/measure/memory_use.h"
#include "yono/compiler/measure/qemu_run.h"

namespace yono::measure {
namespace {

struct Firmware {
  std::string label, path, board;
};

std::vector<Firmware> firmware_list(const McuBenchOptions& opt) {
  if (opt.boards.size() != 1 && opt.boards.size() != opt.elfs.size())
    throw Error("give one --board for all images or one per --elf (got " +
                std::to_string(opt.boards.size()) + " for " + std::to_string(opt.elfs.size()) +
                ")");
  std::vector<Firmware> list;
  for (size_t i = 0; i < opt.elfs.size(); ++i) {
    const std::string& spec = opt.elfs[i];
    const size_t eq = spec.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size())
      throw Error("--elf '" + spec + "': expected LABEL=PATH");
    if (spec.find('/') < eq)  // the label names the log file in --log-dir
      throw Error("--elf '" + spec + "': the label must not contain '/'");
    for (const Firmware& f : list) {
      if (f.label == spec.substr(0, eq)) throw Error("--elf label '" + f.label + "' given twice");
    }
    list.push_back({spec.substr(0, eq), spec.substr(eq + 1),
                    opt.boards.size() == 1 ? opt.boards[0] : opt.boards[i]});
  }
  return list;
}

std::string with_commas(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string log_path(const McuBenchOptions& opt, const Firmware& fw) {
  return opt.log_dir + "/" + fw.label + ".log";
}

nlohmann::json measure_image(const Firmware& fw, const McuBenchOptions& opt, McuBenchResult& r) {
  const std::vector<ElfSection> sections = read_elf32_sections(fw.path);
  const MemoryUse mem = memory_use(sections);
  const std::string log = run_qemu(opt.qemu, fw.board, fw.path, opt.timeout);
  if (!opt.log_dir.empty())
    write_file_atomic(log_path(opt, fw), std::vector<uint8_t>(log.begin(), log.end()));
  const FirmwareReport run = parse_firmware_report(log, fw.path + " (run on " + fw.board + ")");
  const uint64_t ram = mem.ram_data + mem.ram_bss + run.stack_high_water;

  nlohmann::json out = {{"label", fw.label},
                        {"elf", fw.path},
                        {"board", fw.board},
                        {"flash_bytes", mem.flash},
                        {"ram_bytes", ram},
                        {"ram",
                         {{"data_bytes", mem.ram_data},
                          {"bss_bytes", mem.ram_bss},
                          {"stack_high_water_bytes", run.stack_high_water},
                          {"stack_reserved_bytes", mem.stack_reserved}}},
                        {"pack_bytes", run.pack_bytes},
                        {"arena_bytes", run.arena_bytes}};
  nlohmann::json& secs = out["sections"] = nlohmann::json::array();
  for (const ElfSection& s : sections) {
    if ((s.flags & kShfAlloc) == 0 || s.size == 0) continue;
    secs.push_back({{"name", s.name},
                    {"addr", s.addr},
                    {"size", s.size},
                    {"zero_filled", s.type == kShtNobits}});
  }
  nlohmann::json& models = out["models"] = nlohmann::json::array();
  const size_t first_line = r.summary.size();
  r.summary.push_back(fmt::format(
      "{} ({}): flash {} B, RAM {} B = data {} + bss {} (arena {}) + stack {}", fw.label, fw.board,
      with_commas(mem.flash), with_commas(ram), with_commas(mem.ram_data), with_commas(mem.ram_bss),
      with_commas(run.arena_bytes), with_commas(run.stack_high_water)));
  for (const ModelReport& m : run.models) {
    const uint64_t infer = ticks_to_instructions(m.invoke_ticks);
    const uint64_t sw = ticks_to_instructions(m.switch_ticks);
    models.push_back({{"index", m.index},
                      {"name", m.name},
                      {"arena_bytes", m.arena_bytes},
                      {"instructions_per_inference", infer},
                      {"instructions_per_switch", sw},
                      {"ticks_per_inference", m.invoke_ticks},
                      {"ticks_per_switch", m.switch_ticks}});
    r.summary.push_back(
        fmt::format("  {:<16} {:>14} instructions/inference {:>5}/switch  arena {} B + stack {} B",
                    m.name, with_commas(infer), with_commas(sw), with_commas(m.arena_bytes),
                    with_commas(run.stack_high_water)));
    if (opt.ram_limit && m.arena_bytes + run.stack_high_water > opt.ram_limit)
      r.over_budget.push_back(fmt::format("{}: {} arena + stack {} B > {} B", fw.label, m.name,
                                          m.arena_bytes + run.stack_high_water, opt.ram_limit));
  }
  if (opt.flash_limit && mem.flash > opt.flash_limit)
    r.over_budget.push_back(
        fmt::format("{}: flash {} B > {} B", fw.label, mem.flash, opt.flash_limit));
  if (opt.ram_limit && ram > opt.ram_limit)
    r.over_budget.push_back(fmt::format("{}: RAM {} B > {} B", fw.label, ram, opt.ram_limit));
  if (opt.on_line) {
    for (size_t i = first_line; i < r.summary.size(); ++i) opt.on_line(r.summary[i]);
  }
  return out;
}

}  // namespace

McuBenchResult run_mcu_bench(const McuBenchOptions& opt) {
  const std::vector<Firmware> list = firmware_list(opt);
  std::vector<std::string> elfs, outputs = {opt.json_path};
  for (const Firmware& fw : list) {
    elfs.push_back(fw.path);
    if (!opt.log_dir.empty()) outputs.push_back(log_path(opt, fw));
  }
  check_outputs_distinct(elfs, outputs);
  McuBenchResult r;
  nlohmann::json doc = {
      {"counts",
       "instructions = SysTick ticks x 1.25 under qemu -icount shift=5 (0.8 ticks per "
       "instruction); QEMU models no cycles, so these are instructions, not cycles"},
      {"inference_and_switch_from", "the second round of switching (no first-touch effects)"},
      {"qemu_command",
       fmt::format("{}", fmt::join(qemu_command(opt.qemu, "<board>", "<elf>"), " "))}};
  nlohmann::json& images = doc["firmware"] = nlohmann::json::array();
  for (const Firmware& fw : list) images.push_back(measure_image(fw, opt, r));
  r.json = doc.dump(2) + "\n";
  r.images = list.size();
  if (!opt.json_path.empty())
    write_file_atomic(opt.json_path, std::vector<uint8_t>(r.json.begin(), r.json.end()));
  return r;
}

}  // namespace yono::measure
