// `yono bench mcu` and `yono bench switch`: measurements that go into
// docs/BENCHMARKS.md. Each subcommand lives in its own file and registers
// itself on the `bench` command.
#pragma once

namespace CLI {
class App;
}

namespace yono::cli {

void add_bench_command(CLI::App& app);

// Registered by add_bench_command; defined in bench_mcu.cpp / bench_switch.cpp.
void add_bench_mcu_command(CLI::App& bench);
void add_bench_switch_command(CLI::App& bench);

}  // namespace yono::cli
