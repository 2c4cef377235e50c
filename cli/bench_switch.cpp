// Placeholder until `yono bench switch` lands: the subcommand exists and says so.
#include <CLI/CLI.hpp>

#include "bench_commands.h"
#include "yono/compiler/error.h"

namespace yono::cli {

void add_bench_switch_command(CLI::App& bench) {
  CLI::App* cmd = bench.add_subcommand("switch", "not implemented yet");
  cmd->callback([] { throw Error("yono bench switch: not implemented yet"); });
}

}  // namespace yono::cli
