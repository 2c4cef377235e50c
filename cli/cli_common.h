// Helpers shared by the `yono` subcommands. Each subcommand lives in its own
// cmd_*.cpp and registers itself on the app through an add_*_command().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "yono/compiler/io/loaded_pack.h"
#include "yono/pack.h"

namespace CLI {
class App;
}

namespace yono::cli {

void add_import_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_compress_command(CLI::App& app);
void add_add_command(CLI::App& app);  // `yono add`, in cmd_compress.cpp
void add_export_c_command(CLI::App& app);
void add_report_command(CLI::App& app);

// The command line as given (main records it), for reports.
void set_command_line(int argc, char** argv);
const std::vector<std::string>& command_line();

std::string shape_string(const uint32_t* dims, uint32_t rank);  // "[1,3,32,32]"

// `--allow-nonfinite` on every command that imports ONNX files.
void add_allow_nonfinite_flag(CLI::App* cmd, bool* allow);

}  // namespace yono::cli
