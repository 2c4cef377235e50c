// `yono report PACK [--eval F...] [--bench F...] -o report.html`: writes the
// page report::build and report::page make and prints its summary table.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/report/report.h"

namespace yono::cli {
namespace {

struct ReportOptions {
  report::Inputs in;
  std::string output;
  bool quiet = false;
};

void run_report(const ReportOptions& o) {
  std::vector<std::string> inputs = {o.in.pack};
  inputs.insert(inputs.end(), o.in.evals.begin(), o.in.evals.end());
  inputs.insert(inputs.end(), o.in.bench.begin(), o.in.bench.end());
  check_outputs_distinct(inputs, {o.output});
  const nlohmann::json content = report::build(o.in);
  const std::string html = report::page(content);
  write_file_atomic(o.output, std::vector<uint8_t>(html.begin(), html.end()));
  if (!o.quiet) std::printf("%s", report::summary_text(content).c_str());
  std::fflush(stdout);  // the table first, then where the page went
  std::fprintf(stderr, "wrote %s (%zu charts, %zu bytes)\n", o.output.c_str(),
               content["charts"].size(), html.size());
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write one self-contained HTML page (charts drawn with D3) about a pack and "
      "the measurements made of it, and print its summary table");
  cmd->footer(
      "Example:\n  for m in fashion-mnist cifar10; do\n    yono eval models/zoo.yono --model $m "
      "--task $m --json > eval-$m.json\n  done\n  yono report models/zoo.yono --eval eval-*.json "
      "--bench mcu.json switch.json -o report.html");
  cmd->add_option("pack", o->in.pack, "The pack the report is about")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--eval", o->in.evals,
                  "`yono eval --json` results: of this pack (accuracy, confusion matrices) and of "
                  "other packs of the same models (float32, int8: accuracy against size)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--bench", o->in.bench,
                  "Measurements, told apart by content: `yono bench mcu` (flash, RAM, "
                  "instructions), `yono bench switch --json`, ./run bench-peer (CMSIS-NN), "
                  "bench/compress-sweep (accuracy vs ratio)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--title", o->in.title, "Page title (default: the pack's file name)");
  cmd->add_option("-o,--output", o->output, "The HTML file to write")->required();
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print the summary table");
  cmd->callback([o] { run_report(*o); });
}

}  // namespace yono::cli
