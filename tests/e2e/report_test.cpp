// `yono report`: which charts a report holds follows from its inputs, every
// number drawn is the input's number, the page needs no network, and bad
// inputs are refused the promised way. (report_browser_test.cpp opens the
// page in a browser.)
#include "yono/compiler/report/report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e_util.h"
#include "report_inputs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"

namespace yono::e2e {
namespace {

using nlohmann::json;

std::set<std::string> chart_ids(const json& report) {
  std::set<std::string> ids;
  for (const json& c : report["charts"]) ids.insert(c["id"].get<std::string>());
  return ids;
}

const json& chart(const json& report, const std::string& id) {
  for (const json& c : report["charts"])
    if (c["id"] == id) return c;
  ADD_FAILURE() << "no chart " << id;
  static const json none;
  return none;
}

// The inputs are made once (two packs, a switch benchmark) for every test.
class Report : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    inputs_dir_ = new ScratchDir;
    inputs_ = new ReportInputs(write_report_inputs(*inputs_dir_));
  }
  static void TearDownTestSuite() {
    delete inputs_;
    delete inputs_dir_;
  }
  static ScratchDir* inputs_dir_;
  static ReportInputs* inputs_;
};
ScratchDir* Report::inputs_dir_ = nullptr;
ReportInputs* Report::inputs_ = nullptr;

TEST_F(Report, PackAloneGivesItsBytesAndLayers) {
  const ReportInputs& in = *inputs_;
  const json r = report::build({in.pq_pack, {}, {}, ""});
  EXPECT_EQ(chart_ids(r),
            (std::set<std::string>{"bytes-per-model", "layers-lenet5", "layers-sensor_1d"}));
  EXPECT_EQ(r["title"], "pq.yono");
  ASSERT_EQ(r["summary"]["rows"].size(), 2u);
}

TEST_F(Report, EveryInputKindAddsItsCharts) {
  ScratchDir dir;
  const ReportInputs& in = *inputs_;
  const json r = report::build({in.pq_pack, in.evals, in.bench, "fixtures"});
  EXPECT_EQ(chart_ids(r), (std::set<std::string>{
                              "accuracy-vs-ratio", "bytes-per-model", "flash-ram", "instructions",
                              "switch-latency", "switch-energy", "confusion-lenet5",
                              "confusion-sensor_1d", "layers-lenet5", "layers-sensor_1d"}));
  // Confusion matrices are the eval's, rows = true class.
  const json eval = json::parse(std::ifstream(in.evals[0]));
  EXPECT_EQ(chart(r, "confusion-lenet5")["values"], eval["confusion"]);
  // Accuracy drops against the float pack's accuracy, at the PQ pack's
  // ratio; the sweep's run against its own float32 pack, file to file.
  const json& points = chart(r, "accuracy-vs-ratio")["points"];
  ASSERT_EQ(points.size(), 4u);
  for (const json& p : points) {
    if (p["label"] == "pq") {
      EXPECT_GT(p["x"].get<double>(), 1.0);
      EXPECT_NEAR(p["y"].get<double>(), p["series"] == "lenet5" ? -0.5 : -1.0, 1e-9);
    } else {
      EXPECT_EQ(p["label"], "sweep tenth");
      EXPECT_DOUBLE_EQ(p["x"].get<double>(), 10.0);
      EXPECT_NEAR(p["y"].get<double>(), p["series"] == "lenet5" ? -2.0 : 1.0, 1e-9);
    }
  }
  // The mcu file's instructions, per model, per M4 image.
  const json& instr = chart(r, "instructions");
  EXPECT_EQ(instr["categories"], json({"lenet5", "sensor_1d"}));
  ASSERT_EQ(instr["series"].size(), 1u);
  EXPECT_EQ(instr["series"][0]["values"], json({1234567, 345678}));
  // Summary: float, then this pack's accuracy; the image's instructions.
  const json& s = r["summary"];
  EXPECT_EQ(s["columns"][1], "float %");
  EXPECT_EQ(s["columns"][2], "pq %");
  EXPECT_EQ(s["rows"][0][0], "lenet5");
  EXPECT_EQ(s["rows"][0][1], "98.00");
  EXPECT_EQ(s["rows"][0][2], "97.50");
  EXPECT_EQ(s["rows"][0].back(), "1234567");
}

// docs/bench/compress-sweep.json is the sweep's array adopted by
// scripts/bench-tables: under "runs", beside its command and commit. Both
// forms draw the same points.
TEST_F(Report, AdoptedSweepDrawsLikeTheBenchOutput) {
  ScratchDir dir;
  const ReportInputs& in = *inputs_;
  const std::string raw = in.bench.back();
  const std::string adopted = dir.path("compress-sweep.json");
  std::ofstream(adopted) << json{{"command", "bench/compress-sweep"},
                                 {"commit", "0000000"},
                                 {"runs", json::parse(std::ifstream(raw))}}
                                .dump(2);
  const json from_raw = report::build({in.pq_pack, in.evals, {raw}, ""});
  const json from_adopted = report::build({in.pq_pack, in.evals, {adopted}, ""});
  EXPECT_EQ(chart(from_adopted, "accuracy-vs-ratio"), chart(from_raw, "accuracy-vs-ratio"));
  EXPECT_EQ(chart(from_raw, "accuracy-vs-ratio")["points"].size(), 4u);
  // Runs that are not sweep runs are still refused.
  std::ofstream(adopted) << json{{"runs", json::array({{{"name", "x"}}})}}.dump();
  EXPECT_THROW(report::build({in.pq_pack, {}, {adopted}, ""}), Error);
}

// `./run demo` hands the report the committed measurements in docs/bench/;
// each must be a kind the report knows (the tests run in the source tree).
TEST_F(Report, CommittedBenchJsonIsReadable) {
  const ReportInputs& in = *inputs_;
  for (const char* file : {"docs/bench/peer-cmsis.json", "docs/bench/compress-sweep.json"}) {
    SCOPED_TRACE(file);
    EXPECT_NO_THROW(report::build({in.pq_pack, {}, {file}, ""}));
  }
}

TEST_F(Report, BytesSplitAddsUpToEachModel) {
  ScratchDir dir;
  const ReportInputs& in = *inputs_;
  const json r = report::build({in.pq_pack, {}, {}, ""});
  const json& c = chart(r, "bytes-per-model");
  const json pack = json::parse(run_yono(dir, {"inspect", in.pq_pack, "--json"}).out);
  for (size_t m = 0; m < c["categories"].size(); ++m) {
    double sum = 0;
    for (const json& s : c["series"]) sum += s["values"][m].get<double>();
    const json& size = pack["models"][m]["size"];
    EXPECT_NEAR(sum,
                size["bytes"].get<double>() + size["split"]["codebook_share_bytes"].get<double>(),
                1e-6);
  }
}

TEST_F(Report, PageIsSelfContained) {
  ScratchDir dir;
  const ReportInputs& in = *inputs_;
  const std::string html =
      report::page(report::build({in.pq_pack, in.evals, in.bench, "a</script>"}));
  EXPECT_NE(html.find("version:\"3."), std::string::npos) << "D3 inlined";
  EXPECT_EQ(html.find(" src="), std::string::npos) << "no external script";
  EXPECT_EQ(html.find("http"), html.find("http://www.w3.org")) << "no network address";
  EXPECT_EQ(html.find("a</script>"), std::string::npos) << "title escaped";
  // The inline data reads back as the report.
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const size_t b = html.find(open) + open.size();
  const json data = json::parse(html.substr(b, html.find("</script>", b) - b));
  EXPECT_EQ(data["title"], "a</script>");
}

TEST_F(Report, CliWritesThePageAndPrintsTheSummary) {
  ScratchDir dir;
  const ReportInputs& in = *inputs_;
  std::vector<std::string> args = {"report", in.pq_pack, "--eval"};
  args.insert(args.end(), in.evals.begin(), in.evals.end());
  args.push_back("--bench");
  args.insert(args.end(), in.bench.begin(), in.bench.end());
  args.insert(args.end(), {"-o", dir.path("r.html")});
  const YonoRun run = run_yono(dir, args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("lenet5"), std::string::npos);
  EXPECT_NE(run.out.find("image fixtures-m4 (mps2-an386): flash"), std::string::npos) << run.out;
  EXPECT_GT(read_file(dir.path("r.html")).size(), 100000u);
}

TEST_F(Report, BadInputsAreRefused) {
  ScratchDir dir;
  const ReportInputs& in = *inputs_;
  const std::string out = dir.path("r.html");
  std::ofstream(dir.path("other.json")) << R"({"something": 1})";
  expect_refused(dir, {"report", in.pq_pack, "--bench", dir.path("other.json"), "-o", out},
                 "other.json: not a bench JSON", out);
  std::ofstream(dir.path("broken.json")) << "{";
  expect_refused(dir, {"report", in.pq_pack, "--eval", dir.path("broken.json"), "-o", out},
                 "broken.json: not JSON", out);
  std::ofstream(dir.path("lost.json")) << R"({"file": "gone.yono", "model": "lenet5",
      "accuracy": 0.5, "classes": ["a"], "confusion": [[1]]})";
  expect_refused(dir, {"report", in.pq_pack, "--eval", dir.path("lost.json"), "-o", out},
                 "gone.yono is not found", out);
  expect_refused(dir, {"report", in.pq_pack, "--bench", in.bench[1], in.bench[1], "-o", out},
                 "a second", out);
  const std::vector<uint8_t> before = read_file(in.pq_pack);
  expect_refused(dir, {"report", in.pq_pack, "-o", in.pq_pack}, "pq.yono", "");
  EXPECT_EQ(read_file(in.pq_pack), before) << "the input is unchanged";
}

}  // namespace
}  // namespace yono::e2e
