#include <CLI/CLI.hpp>

#include "bench_commands.h"

namespace yono::cli {

void add_bench_command(CLI::App& app) {
  CLI::App* bench =
      app.add_subcommand("bench", "Measure a pack on a Cortex-M (QEMU) or a model switch");
  bench->require_subcommand(1);
  bench->footer("Examples: yono bench mcu --help, yono bench switch --help");
  add_bench_mcu_command(*bench);
  add_bench_switch_command(*bench);
}

}  // namespace yono::cli
