// The report page in a real browser: Debian's chromium, headless, loads the
// file offline, and every chart must have drawn into its SVG with nothing on
// the console (a drawing error is logged there by report.js; an uncaught one
// by the browser). Skipped, saying so, only where chromium is not installed
// (./run setup installs it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "e2e_util.h"
#include "report_inputs.h"
#include "yono/compiler/io/file_io.h"

namespace yono::e2e {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool have_chromium() {
  return std::system("command -v chromium >/dev/null 2>&1") == 0;
}

struct Loaded {
  std::string dom, log;
};

// `chromium --headless` on the page: its DOM after the scripts ran, and
// its log (console messages are logged as "CONSOLE").
Loaded load(const ScratchDir& dir, const std::string& page, const std::string& screenshot = "") {
  const std::string dom = dir.path("dom.html"), log = dir.path("chromium.log");
  std::string cmd =
      "chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--user-data-dir=" +
      dir.path("profile") + " --enable-logging=stderr --v=0 --virtual-time-budget=10000 ";
  cmd += screenshot.empty() ? "--dump-dom" : "--window-size=1100,9000 --screenshot=" + screenshot;
  cmd += " file://" + page + " >" + dom + " 2>" + log;
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << slurp(log);
  return {slurp(dom), slurp(log)};
}

// Figures (one per chart) whose SVG holds no drawn mark. (Plain string
// search: libstdc++'s recursive std::regex overflows on a page this size.)
std::vector<std::string> empty_charts(const std::string& dom, size_t* figures) {
  std::vector<std::string> empty;
  *figures = 0;
  const std::string open = "<figure id=\"", close = "</figure>";
  for (size_t at = dom.find(open); at != std::string::npos; at = dom.find(open, at + 1)) {
    ++*figures;
    const size_t id_end = dom.find('"', at + open.size());
    const size_t end = dom.find(close, at);
    const std::string id = dom.substr(at + open.size(), id_end - at - open.size());
    const std::string body = dom.substr(at, end == std::string::npos ? end : end - at);
    const size_t svg = body.find("<svg class=\"chart\"");
    const bool marks = svg != std::string::npos && (body.find("<rect", svg) != std::string::npos ||
                                                    body.find("<circle", svg) != std::string::npos);
    if (!marks) empty.push_back(id);
  }
  return empty;
}

std::vector<std::string> console_lines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.find("CONSOLE") != std::string::npos) lines.push_back(line);
  return lines;
}

std::string write_page(const ScratchDir& dir, const ReportInputs& in) {
  std::vector<std::string> args = {"report", in.pq_pack, "--eval"};
  args.insert(args.end(), in.evals.begin(), in.evals.end());
  args.push_back("--bench");
  args.insert(args.end(), in.bench.begin(), in.bench.end());
  args.insert(args.end(), {"-o", dir.path("report.html"), "-q"});
  EXPECT_EQ(run_yono(dir, args).exit_code, 0);
  return dir.path("report.html");
}

TEST(ReportBrowser, EveryChartDrawsWithoutConsoleErrors) {
  if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (./run setup installs it)";
  ScratchDir dir;
  const std::string page = write_page(dir, write_report_inputs(dir));
  const Loaded loaded = load(dir, page);
  size_t figures = 0;
  EXPECT_EQ(empty_charts(loaded.dom, &figures), std::vector<std::string>{});
  EXPECT_EQ(figures, 10u) << "every chart of the inputs (report_test.cpp lists them)";
  EXPECT_EQ(console_lines(loaded.log), std::vector<std::string>{});
  EXPECT_NE(loaded.dom.find("<td>lenet5</td>"), std::string::npos) << "summary table";

  const std::string png = dir.path("report.png");
  load(dir, page, png);
  const std::vector<uint8_t> bytes = read_file(png);
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(std::string(bytes.begin() + 1, bytes.begin() + 4), "PNG");
}

// The checks can fail: a chart the script cannot draw leaves its SVG empty
// and an error on the console.
TEST(ReportBrowser, ABrokenChartIsCaught) {
  if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (./run setup installs it)";
  ScratchDir dir;
  const std::string page = write_page(dir, write_report_inputs(dir));
  std::string html = slurp(page);
  const std::string kind = "\"kind\":\"scatter\"";
  const size_t at = html.find(kind);
  ASSERT_NE(at, std::string::npos);
  html.replace(at, kind.size(), "\"kind\":\"nosuch\"");
  const std::string broken = dir.path("broken.html");
  std::ofstream(broken) << html;
  const Loaded loaded = load(dir, broken);
  size_t figures = 0;
  EXPECT_EQ(empty_charts(loaded.dom, &figures), std::vector<std::string>{"accuracy-vs-ratio"});
  const std::vector<std::string> console = console_lines(loaded.log);
  ASSERT_EQ(console.size(), 1u) << loaded.log;
  EXPECT_NE(console[0].find("chart accuracy-vs-ratio not drawn"), std::string::npos);
}

}  // namespace
}  // namespace yono::e2e
