// `yono export-c pack.yono -o dir/ [--prefix NAME] [--no-runtime]`: C sources
// that put the pack in a firmware's flash, usable as a CMake subdirectory or
// an Arduino library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/pack/c_export.h"

namespace yono::cli {
namespace {

struct ExportOptions {
  std::string pack_path;
  std::string out_dir;
  std::string prefix = "yono";
  std::string runtime_dir = YONO_RUNTIME_SOURCE_DIR;
  bool no_runtime = false;
};

void run_export(const ExportOptions& opt) {
  const std::vector<uint8_t> bytes = read_file(opt.pack_path);
  CExportOptions options;
  options.prefix = opt.prefix;
  if (!opt.no_runtime) options.runtime_dir = opt.runtime_dir;
  export_c(bytes, opt.pack_path, opt.out_dir, options);
  const std::string id = c_identifier(opt.prefix, false);
  std::printf("wrote %s/src/%s_pack.{h,c} (%zu pack bytes)%s\n", opt.out_dir.c_str(), id.c_str(),
              bytes.size(), opt.no_runtime ? "" : " and the runtime sources");
}

}  // namespace

void add_export_c_command(CLI::App& app) {
  auto opt = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export-c", "Export a pack as C sources for a firmware");
  cmd->footer(
      "Example:\n  yono export-c models/zoo.yono -o fw_pack --prefix fw --no-runtime   # "
      "firmware/ builds around it");
  cmd->add_option("pack", opt->pack_path, "Pack file")->required();
  cmd->add_option("-o,--output", opt->out_dir, "Folder to write")->required();
  cmd->add_option("--prefix", opt->prefix,
                  "C symbol prefix; packs with different prefixes link into one firmware")
      ->capture_default_str();
  cmd->add_option("--runtime-dir", opt->runtime_dir, "yono runtime/ folder to copy")
      ->capture_default_str();
  cmd->add_flag("--no-runtime", opt->no_runtime,
                "Do not copy the runtime (another export or the firmware provides it)");
  cmd->callback([opt] { run_export(*opt); });
}

}  // namespace yono::cli
