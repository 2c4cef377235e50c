#include "cli_common.h"

#include <CLI/CLI.hpp>

namespace yono::cli {
namespace {
std::vector<std::string>& recorded() {
  static std::vector<std::string> args;
  return args;
}
}  // namespace

void set_command_line(int argc, char** argv) {
  recorded().assign(argv, argv + argc);
}

const std::vector<std::string>& command_line() {
  return recorded();
}

std::string shape_string(const uint32_t* dims, uint32_t rank) {
  std::string s = "[";
  for (uint32_t i = 0; i < rank; ++i) {
    if (i > 0) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

void add_allow_nonfinite_flag(CLI::App* cmd, bool* allow) {
  cmd->add_flag("--allow-nonfinite", *allow,
                "Import weights that hold NaN or Inf (refused by default: they make a device's "
                "outputs NaN)");
}

}  // namespace yono::cli
