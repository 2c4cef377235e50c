// The `yono` command line. Every failure a user can cause ends here as one
// line "yono: error: ..." on stderr and exit code 2, so scripts can rely on it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bench_commands.h"
#include "cli_common.h"
#include "train_commands.h"
#include "yono/compiler/error.h"

namespace {

constexpr int kUsageOrInputError = 2;

int report(const std::string& message) {
  std::string line = message;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';  // keep the promise of a single line
  }
  std::fprintf(stderr, "yono: error: %s\n", line.c_str());
  return kUsageOrInputError;
}

std::string unexpected_arguments(const CLI::App& app) {
  std::string list;
  std::vector<std::string> left = app.remaining();
  for (const CLI::App* sub : app.get_subcommands()) {
    const std::vector<std::string> more = sub->remaining();
    left.insert(left.end(), more.begin(), more.end());
  }
  for (const std::string& arg : left) list += (list.empty() ? "" : " ") + arg;
  return list;
}

}  // namespace

int main(int argc, char** argv) {
  yono::cli::set_command_line(argc, argv);
  CLI::App app{"yono: pack several neural networks into one image and run them"};
  app.name("yono");
  app.set_version_flag("--version", "yono 0.1.0");
  app.require_subcommand(1);
  yono::cli::add_import_command(app);
  yono::cli::add_inspect_command(app);
  yono::cli::add_run_command(app);
  yono::cli::add_compress_command(app);
  yono::cli::add_add_command(app);
  yono::cli::add_export_c_command(app);
  yono::cli::add_train_command(app);
  yono::cli::add_eval_command(app);
  yono::cli::add_bench_command(app);
  yono::cli::add_report_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive as "errors" with exit code 0.
    if (e.get_exit_code() == 0) return app.exit(e);
    // CLI11 checks required options before unknown ones, so `yono import
    // --bogus` would blame the missing model; the stray flag is the real cause.
    const std::string unexpected = unexpected_arguments(app);
    if (!unexpected.empty()) return report("unexpected argument(s): " + unexpected);
    return report(e.what());
  } catch (const yono::Error& e) {
    return report(e.what());
  } catch (const std::exception& e) {
    return report(std::string("internal error: ") + e.what());
  }
  return 0;
}
