// `yono bench mcu --elf LABEL=app.elf [--elf ...] --board mps2-an386 -o mcu.json`:
// runs each firmware image in QEMU, and records flash and RAM from the ELF's
// section headers and the run (painted-stack high-water mark) together with
// the instructions per inference and per model switch the firmware reports.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "bench_commands.h"
#include "yono/compiler/error.h"
#include "yono/compiler/mcu/elf_sections.h"
#include "yono/compiler/mcu/firmware_report.h"
#include "yono/compiler/mcu/memory_use.h"
#include "yono/compiler/mcu/qemu_run.h"
#include "yono/compiler/pack_writer.h"

namespace yono::cli {
namespace {

struct McuOptions {
  std::vector<std::string> elfs;    // LABEL=PATH
  std::vector<std::string> boards;  // one for all, or one per --elf
  std::string qemu = "qemu-system-arm";
  double timeout = 300;
  std::string output;
  std::string log_dir;
  uint64_t flash_limit = 0;  // 0: no check
  uint64_t ram_limit = 0;
};

struct Firmware {
  std::string label, path, board;
};

std::vector<Firmware> firmware_list(const McuOptions& opt) {
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

nlohmann::json measure(const Firmware& fw, const McuOptions& opt, std::vector<std::string>* over) {
  const std::vector<mcu::ElfSection> sections = mcu::read_elf32_sections(fw.path);
  const mcu::MemoryUse mem = mcu::memory_use(sections);
  const std::string log = mcu::run_qemu(opt.qemu, fw.board, fw.path, opt.timeout);
  if (!opt.log_dir.empty())
    write_file_atomic(opt.log_dir + "/" + fw.label + ".log",
                      std::vector<uint8_t>(log.begin(), log.end()));
  const mcu::FirmwareReport run =
      mcu::parse_firmware_report(log, fw.path + " (run on " + fw.board + ")");
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
  for (const mcu::ElfSection& s : sections) {
    if ((s.flags & mcu::kShfAlloc) == 0 || s.size == 0) continue;
    secs.push_back({{"name", s.name},
                    {"addr", s.addr},
                    {"size", s.size},
                    {"zero_filled", s.type == mcu::kShtNobits}});
  }
  nlohmann::json& models = out["models"] = nlohmann::json::array();
  std::printf("%s (%s): flash %s B, RAM %s B = data %s + bss %s (arena %s) + stack %s\n",
              fw.label.c_str(), fw.board.c_str(), with_commas(mem.flash).c_str(),
              with_commas(ram).c_str(), with_commas(mem.ram_data).c_str(),
              with_commas(mem.ram_bss).c_str(), with_commas(run.arena_bytes).c_str(),
              with_commas(run.stack_high_water).c_str());
  for (const mcu::ModelReport& m : run.models) {
    const uint64_t infer = mcu::ticks_to_instructions(m.invoke_ticks);
    const uint64_t sw = mcu::ticks_to_instructions(m.switch_ticks);
    models.push_back({{"index", m.index},
                      {"name", m.name},
                      {"arena_bytes", m.arena_bytes},
                      {"instructions_per_inference", infer},
                      {"instructions_per_switch", sw},
                      {"ticks_per_inference", m.invoke_ticks},
                      {"ticks_per_switch", m.switch_ticks}});
    std::printf("  %-16s %14s instructions/inference %5s/switch  arena %s B + stack %s B\n",
                m.name.c_str(), with_commas(infer).c_str(), with_commas(sw).c_str(),
                with_commas(m.arena_bytes).c_str(), with_commas(run.stack_high_water).c_str());
    if (opt.ram_limit && m.arena_bytes + run.stack_high_water > opt.ram_limit)
      over->push_back(fmt::format("{}: {} arena + stack {} B > {} B", fw.label, m.name,
                                  m.arena_bytes + run.stack_high_water, opt.ram_limit));
  }
  if (opt.flash_limit && mem.flash > opt.flash_limit)
    over->push_back(fmt::format("{}: flash {} B > {} B", fw.label, mem.flash, opt.flash_limit));
  if (opt.ram_limit && ram > opt.ram_limit)
    over->push_back(fmt::format("{}: RAM {} B > {} B", fw.label, ram, opt.ram_limit));
  return out;
}

void run_bench_mcu(const McuOptions& opt) {
  const std::vector<Firmware> list = firmware_list(opt);
  std::vector<std::string> over;
  nlohmann::json doc = {
      {"counts",
       "instructions = SysTick ticks x 1.25 under qemu -icount shift=5 (0.8 ticks per "
       "instruction); QEMU models no cycles, so these are instructions, not cycles"},
      {"inference_and_switch_from", "the second round of switching (no first-touch effects)"},
      {"qemu_command",
       fmt::format("{}", fmt::join(mcu::qemu_command(opt.qemu, "<board>", "<elf>"), " "))}};
  nlohmann::json& images = doc["firmware"] = nlohmann::json::array();
  for (const Firmware& fw : list) images.push_back(measure(fw, opt, &over));
  const std::string text = doc.dump(2) + "\n";
  write_file_atomic(opt.output, std::vector<uint8_t>(text.begin(), text.end()));
  std::printf("wrote %s (%zu firmware images)\n", opt.output.c_str(), list.size());
  if (!over.empty()) throw Error("over budget: " + fmt::format("{}", fmt::join(over, "; ")));
}

}  // namespace

void add_bench_mcu_command(CLI::App& bench) {
  auto opt = std::make_shared<McuOptions>();
  CLI::App* cmd = bench.add_subcommand(
      "mcu", "Run firmware images in QEMU: flash, RAM, instructions per inference and switch");
  cmd->add_option("--elf", opt->elfs, "LABEL=PATH of a firmware image (firmware/app); repeatable")
      ->required();
  cmd->add_option("--board", opt->boards,
                  "QEMU machine (mps2-an386: Cortex-M4, mps2-an500: Cortex-M7); once for all "
                  "images or once per --elf")
      ->required();
  cmd->add_option("--qemu", opt->qemu, "qemu-system-arm binary")->capture_default_str();
  cmd->add_option("--timeout", opt->timeout, "Seconds per run before it counts as hung")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("-o,--output", opt->output, "JSON file to write")->required();
  cmd->add_option("--log-dir", opt->log_dir, "Also keep each run's output as DIR/LABEL.log");
  cmd->add_option("--flash-limit", opt->flash_limit, "Fail if an image's flash exceeds BYTES");
  cmd->add_option("--ram-limit", opt->ram_limit,
                  "Fail if an image's RAM (data + bss + stack used) exceeds BYTES");
  cmd->callback([opt] { run_bench_mcu(*opt); });
}

}  // namespace yono::cli
