// Placeholder until `yono bench mcu` lands: the subcommand exists and says so.
#include <CLI/CLI.hpp>

#include "bench_commands.h"
#include "yono/compiler/error.h"

namespace yono::cli {

void add_bench_mcu_command(CLI::App& bench) {
  CLI::App* cmd = bench.add_subcommand("mcu", "not implemented yet");
  cmd->callback([] { throw Error("yono bench mcu: not implemented yet"); });
}

}  // namespace yono::cli
