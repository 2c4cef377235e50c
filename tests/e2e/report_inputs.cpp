#include "report_inputs.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace yono::e2e {
namespace {

using nlohmann::json;

std::string write_eval(const ScratchDir& dir, const std::string& pack, const std::string& model,
                       double accuracy, const json& confusion) {
  const std::string path =
      dir.path(model + "-" + std::filesystem::path(pack).stem().string() + ".eval.json");
  json classes = json::array();
  int64_t count = 0, correct = 0;
  for (size_t r = 0; r < confusion.size(); ++r) {
    classes.push_back("c" + std::to_string(r));
    for (size_t c = 0; c < confusion[r].size(); ++c) {
      count += confusion[r][c].get<int64_t>();
      if (r == c) correct += confusion[r][c].get<int64_t>();
    }
  }
  std::ofstream(path) << json{{"file", pack},          {"engine", "yono-runtime"},
                              {"model", model},        {"task", model},
                              {"accuracy", accuracy},  {"correct", correct},
                              {"count", count},        {"classes", classes},
                              {"confusion", confusion}}
                             .dump(2);
  return path;
}

}  // namespace

ReportInputs write_report_inputs(const ScratchDir& dir) {
  ReportInputs in;
  in.pq_pack = dir.path("pq.yono");
  in.float_pack = dir.path("float.yono");
  const std::vector<std::string> models = {fixture("lenet5.onnx"), fixture("sensor_1d.onnx")};
  std::vector<std::string> args = {"compress"};
  args.insert(args.end(), models.begin(), models.end());
  args.insert(args.end(), {"-o", in.pq_pack});
  EXPECT_EQ(run_yono(dir, args).exit_code, 0);
  args[0] = "import";
  args.back() = in.float_pack;
  EXPECT_EQ(run_yono(dir, args).exit_code, 0);

  const json three = {{30, 1, 0}, {0, 28, 2}, {1, 0, 38}};
  const json two = {{50, 2}, {1, 47}};
  in.evals = {write_eval(dir, in.pq_pack, "lenet5", 0.975, three),
              write_eval(dir, in.pq_pack, "sensor_1d", 0.97, two),
              write_eval(dir, in.float_pack, "lenet5", 0.98, three),
              write_eval(dir, in.float_pack, "sensor_1d", 0.98, two)};

  const std::string mcu = dir.path("mcu.json");
  const json image_models = json::array({{{"name", "lenet5"},
                                          {"instructions_per_inference", 1234567},
                                          {"instructions_per_switch", 49}},
                                         {{"name", "sensor_1d"},
                                          {"instructions_per_inference", 345678},
                                          {"instructions_per_switch", 51}}});
  std::ofstream(mcu) << json{{"firmware",
                              {{{"label", "fixtures-m4"},
                                {"board", "mps2-an386"},
                                {"flash_bytes", 120000},
                                {"ram_bytes", 90000},
                                {"models", image_models}}}}}
                            .dump(2);
  const std::string sw = dir.path("switch.json");
  EXPECT_EQ(run_yono(dir, {"bench", "switch", in.pq_pack, "--from", "lenet5", "--to", "sensor_1d",
                           "--repeat", "3", "--json", sw})
                .exit_code,
            0);
  // A compress sweep: its float32 run and one compressed run a tenth its size.
  const std::string sweep = dir.path("sweep.json");
  std::ofstream(sweep) << json::array(
                              {{{"name", "float"},
                                {"test_accuracy", {{"lenet5", 0.98}, {"sensor_1d", 0.98}}},
                                {"report", {{"pack_bytes", 500000}}}},
                               {{"name", "tenth"},
                                {"test_accuracy", {{"lenet5", 0.96}, {"sensor_1d", 0.99}}},
                                {"report", {{"pack_bytes", 50000}, {"ratio_vs_float32", 9.5}}}}})
                              .dump(2);
  in.bench = {mcu, sw, sweep};
  return in;
}

}  // namespace yono::e2e
