// `yono bench switch` and the pieces behind it: one model cut out of a pack
// as its own pack, the uncached file read, the SD-over-SPI and MCU cost
// models (checked against a naive recomputation), and the CLI contract for
// bad input. No timing is asserted: times go to the benchmark's output.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e_util.h"
#include "yono/compiler/compress/compress.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/npy.h"
#include "yono/compiler/measure/mcu_switch_model.h"
#include "yono/compiler/measure/sd_spi_model.h"
#include "yono/compiler/measure/uncached_read.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/single_model_pack.h"

namespace yono::e2e {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kModels = {"lenet5", "mlp_softmax", "sensor_1d", "resnet_small"};

const std::vector<uint8_t>& float_pack() {
  static const std::vector<uint8_t> bytes = fixture_pack(kModels, false);
  return bytes;
}

const std::vector<uint8_t>& pq_pack() {
  static const std::vector<uint8_t> bytes = fixture_pack(kModels, true);
  return bytes;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- one model as its own pack ----

void expect_single_model_packs_run_alike(const std::vector<uint8_t>& bytes, const char* label) {
  const AlignedPack whole(bytes);
  ASSERT_EQ(whole.status, Status::kOk);
  for (uint32_t m = 0; m < whole.pack.model_count(); ++m) {
    const std::string name = whole.pack.model_name(m);
    const std::vector<uint8_t> alone = single_model_pack(whole.pack, m);
    const AlignedPack single(alone);
    ASSERT_EQ(single.status, Status::kOk) << label << " " << name;
    ASSERT_EQ(single.pack.model_count(), 1u);
    EXPECT_EQ(std::string(single.pack.model_name(0)), name);
    EXPECT_EQ(single.pack.arena_size(0), whole.pack.arena_size(m));
    EXPECT_EQ(single.pack.version(), whole.pack.version()) << label << " " << name;
    EXPECT_LT(alone.size(), bytes.size()) << label << " " << name;

    const std::vector<float> x = read_npy(fixture(name + ".input.npy")).data;
    const std::vector<float> want = run_in_session(bytes, name, x);
    const std::vector<float> got = run_in_session(alone, name, x);
    ASSERT_EQ(got.size(), want.size());
    EXPECT_EQ(std::memcmp(got.data(), want.data(), 4 * got.size()), 0)
        << label << " " << name << ": same records, same weights, same bits";
  }
}

TEST(SingleModelPack, FloatModelsRunBitIdentical) {
  expect_single_model_packs_run_alike(float_pack(), "float");
}

TEST(SingleModelPack, PqModelsRunBitIdenticalAndKeepTheirCodebooks) {
  expect_single_model_packs_run_alike(pq_pack(), "pq");
  const AlignedPack whole(pq_pack());
  uint32_t big = 0;
  ASSERT_EQ(whole.pack.find_model("resnet_small", &big), Status::kOk);
  const AlignedPack single(single_model_pack(whole.pack, big));
  EXPECT_GE(single.pack.codebook_count(), 1u);
  EXPECT_LE(single.pack.codebook_count(), whole.pack.codebook_count());
}

TEST(SingleModelPack, OutOfRangeModelIsAnError) {
  const AlignedPack whole(float_pack());
  EXPECT_THROW(single_model_pack(whole.pack, whole.pack.model_count()), Error);
}

// ---- reading a file past the page cache ----

TEST(UncachedRead, ReturnsTheFileInBothModes) {
  ScratchDir dir;
  std::vector<uint8_t> bytes(10000);  // not a multiple of any block size
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 3);
  const std::string path = dir.path("model.yono");
  write_file_atomic(path, bytes);

  const measure::DirectIoSupport probe = measure::probe_direct_io(path);
  std::vector<measure::UncachedMode> modes = {measure::UncachedMode::kDropCache};
  if (probe.supported) modes.push_back(measure::UncachedMode::kDirect);
  for (const measure::UncachedMode mode : modes) {
    AlignedBuffer ram(measure::round_up(bytes.size(), probe.alignment), probe.alignment);
    ASSERT_EQ(measure::read_uncached(path, mode, probe.alignment, ram), bytes.size());
    EXPECT_EQ(std::memcmp(ram.data(), bytes.data(), bytes.size()), 0);
  }
  EXPECT_EQ(measure::round_up(10000, 4096), 12288u);
  EXPECT_EQ(measure::round_up(4096, 4096), 4096u);
}

TEST(UncachedRead, MissingFileIsAnErrorNamingIt) {
  AlignedBuffer ram(4096, 4096);
  try {
    measure::read_uncached("/nonexistent/model.yono", measure::UncachedMode::kDropCache, 4096, ram);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.yono"), std::string::npos);
  }
}

// ---- SD card over SPI and MCU cost models ----

// The same arithmetic written out by hand.
double naive_sd_seconds(double bytes, double block, double framing, double command, double clock,
                        double access, double efficiency) {
  const double blocks = std::ceil(bytes / block);
  return blocks * access + blocks * (block + framing + command) * 8.0 / (clock * efficiency);
}

TEST(SdSpiModel, MatchesNaiveRecomputationWithDefaults) {
  const measure::SdSpiModel m;
  for (const uint64_t bytes : {uint64_t{1}, uint64_t{511}, uint64_t{512}, uint64_t{513},
                               uint64_t{30800}, uint64_t{1172880}}) {
    const measure::SdReadCost c = measure::sd_read_cost(bytes, m);
    const double blocks = std::ceil(bytes / 512.0);
    EXPECT_EQ(c.blocks, static_cast<uint64_t>(blocks)) << bytes;
    EXPECT_EQ(c.wire_bytes, static_cast<uint64_t>(blocks * (512 + 3 + 8))) << bytes;
    const double want = naive_sd_seconds(bytes, 512, 3, 8, 25e6, 100e-6, 1.0);
    EXPECT_NEAR(c.total_s, want, 1e-12 * want) << bytes;
    EXPECT_NEAR(c.access_s + c.transfer_s, c.total_s, 1e-15);
  }
  // 60 blocks: 60 * 100 us + 60 * 523 B * 8 / 25 MHz = 6 ms + 10.0416 ms.
  EXPECT_NEAR(measure::sd_read_cost(60 * 512, m).total_s, 0.0160416, 1e-9);
  EXPECT_EQ(measure::sd_read_cost(0, m).blocks, 0u);
  EXPECT_EQ(measure::sd_read_cost(0, m).total_s, 0.0);
}

TEST(SdSpiModel, EveryConstantIsUsed) {
  measure::SdSpiModel m;
  m.spi_clock_hz = 12.5e6;
  m.block_bytes = 1024;
  m.block_framing_bytes = 5;
  m.command_bytes = 20;
  m.access_time_s = 250e-6;
  m.spi_efficiency = 0.5;
  const measure::SdReadCost c = measure::sd_read_cost(5000, m);
  EXPECT_EQ(c.blocks, 5u);
  EXPECT_EQ(c.wire_bytes, 5u * (1024 + 5 + 20));
  const double want = naive_sd_seconds(5000, 1024, 5, 20, 12.5e6, 250e-6, 0.5);
  EXPECT_NEAR(c.total_s, want, 1e-12 * want);
}

TEST(SdSpiModel, RejectsImpossibleConstants) {
  measure::SdSpiModel m;
  m.spi_clock_hz = 0;
  EXPECT_THROW(measure::sd_read_cost(1, m), Error);
  m = {};
  m.block_bytes = 0;
  EXPECT_THROW(measure::sd_read_cost(1, m), Error);
  m = {};
  m.spi_efficiency = 1.5;
  EXPECT_THROW(measure::sd_read_cost(1, m), Error);
  m = {};
  m.access_time_s = -1;
  EXPECT_THROW(measure::sd_read_cost(1, m), Error);
}

TEST(McuSwitchModel, LatencyAndEnergyByHand) {
  measure::McuModel mcu;                   // 216 MHz, 1 cycle/instruction, 53-instruction select
  mcu.inference_instructions = 2'160'000;  // 10 ms
  const measure::SdSpiModel sd;
  const uint64_t bytes = 30800;
  const measure::McuSwitchEstimate e = measure::estimate_mcu_switch(bytes, mcu, sd);

  const double select_s = 53.0 / 216e6;
  const double read_s = naive_sd_seconds(bytes, 512, 3, 8, 25e6, 100e-6, 1.0);
  const double p_mcu = 0.33, p_sd = 0.050 * 3.3;
  EXPECT_NEAR(e.in_memory_switch.latency_s, select_s, 1e-15);
  EXPECT_NEAR(e.in_memory_switch.energy_j, select_s * p_mcu, 1e-15);
  EXPECT_NEAR(e.sd_switch.latency_s, read_s + select_s, 1e-12);
  EXPECT_NEAR(e.sd_switch.energy_j, read_s * (p_mcu + p_sd) + select_s * p_mcu, 1e-12);
  ASSERT_TRUE(e.has_inference);
  EXPECT_NEAR(e.in_memory_switch_infer.latency_s, select_s + 0.01, 1e-12);
  EXPECT_NEAR(e.sd_switch_infer.latency_s, read_s + select_s + 0.01, 1e-12);
  EXPECT_NEAR(e.sd_switch_infer.energy_j, read_s * (p_mcu + p_sd) + (select_s + 0.01) * p_mcu,
              1e-12);
  EXPECT_DOUBLE_EQ(measure::reduction(1.0, 4.0), 0.75);
  EXPECT_DOUBLE_EQ(measure::reduction(1.0, 0.0), 0.0);

  mcu.inference_instructions = 0;
  EXPECT_FALSE(measure::estimate_mcu_switch(bytes, mcu, sd).has_inference);
  mcu.clock_hz = -1;
  EXPECT_THROW(measure::estimate_mcu_switch(bytes, mcu, sd), Error);
}

// ---- the command ----

struct Cli {
  ScratchDir dir;
  std::string pack;
  Cli() : pack(dir.path("pack.yono")) { write_file_atomic(pack, pq_pack()); }
  YonoRun run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"bench", "switch"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_yono(dir, args);
  }
};

void expect_user_error(const YonoRun& r, const std::string& must_mention) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("yono: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_NE(r.err.find(must_mention), std::string::npos) << must_mention << ": " << r.err;
}

TEST(BenchSwitchCli, WritesTableAndJson) {
  Cli cli;
  const std::string json_path = cli.dir.path("switch.json");
  const YonoRun r = cli.run({cli.pack, "--from", "mlp_softmax", "--to", "resnet_small", "--repeat",
                             "3", "--json", json_path, "--mcu-inference-instructions", "31000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("in memory"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SD over SPI"), std::string::npos) << r.out;

  const nlohmann::json j = nlohmann::json::parse(slurp(json_path));
  EXPECT_EQ(j["from"], "mlp_softmax");
  EXPECT_EQ(j["to"], "resnet_small");
  EXPECT_EQ(j["repeat"], 3);
  const uint64_t alone = j["to_alone_bytes"];
  EXPECT_GT(alone, 0u);
  EXPECT_LT(alone, j["pack"]["bytes"].get<uint64_t>());
  const nlohmann::json& host = j["host_measured"];
  EXPECT_GT(host["in_memory"]["switch_s"].get<double>(), 0.0);
  EXPECT_GT(host["file"]["switch_s"].get<double>(), 0.0);
  EXPECT_GE(host["file"]["switch_infer_s"].get<double>(), host["file"]["switch_s"].get<double>());
  const nlohmann::json& mcu = j["mcu_model"];
  EXPECT_EQ(mcu["sd_read"]["bytes"].get<uint64_t>(), alone);
  EXPECT_EQ(mcu["sd_read"]["blocks"].get<uint64_t>(), (alone + 511) / 512);
  EXPECT_GT(mcu["reduction_switch"]["latency"].get<double>(), 0.0);
  EXPECT_TRUE(mcu.contains("sd_switch_infer"));
  for (const char* k : {"sd_spi_clock_hz", "sd_block_bytes", "sd_access_time_s", "mcu_clock_hz",
                        "mcu_active_power_w", "sd_read_current_a"}) {
    EXPECT_TRUE(j["constants"].contains(k)) << k;
    EXPECT_FALSE(j["constants"][k]["source"].get<std::string>().empty()) << k;
  }
  // The scratch copy of the target model is gone afterwards.
  for (const auto& e : fs::directory_iterator(cli.dir.path("")))
    EXPECT_EQ(e.path().filename().string().find("yono-switch-"), std::string::npos);
}

TEST(BenchSwitchCli, UnknownModelNamesTheModelAndThePack) {
  Cli cli;
  const std::string json_path = cli.dir.path("switch.json");
  const YonoRun r =
      cli.run({cli.pack, "--from", "lenet5", "--to", "nosuchmodel", "--json", json_path});
  expect_user_error(r, "nosuchmodel");
  EXPECT_NE(r.err.find(cli.pack), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(json_path));
}

TEST(BenchSwitchCli, MissingPack) {
  Cli cli;
  const std::string missing = cli.dir.path("absent.yono");
  expect_user_error(cli.run({missing, "--from", "a", "--to", "b"}), "absent.yono");
}

TEST(BenchSwitchCli, BadRepeat) {
  Cli cli;
  for (const char* bad : {"0", "-3", "1000001"}) {
    expect_user_error(
        cli.run({cli.pack, "--from", "lenet5", "--to", "mlp_softmax", "--repeat", bad}),
        "--repeat");
  }
  const YonoRun r = cli.run({cli.pack, "--from", "lenet5", "--to", "mlp_softmax", "--repeat", "x"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(BenchSwitchCli, BadModelConstant) {
  Cli cli;
  expect_user_error(
      cli.run({cli.pack, "--from", "lenet5", "--to", "mlp_softmax", "--sd-spi-efficiency", "2"}),
      "efficiency");
}

TEST(BenchSwitchCli, DirMustExist) {
  Cli cli;
  expect_user_error(cli.run({cli.pack, "--from", "lenet5", "--to", "mlp_softmax", "--dir",
                             cli.dir.path("nowhere")}),
                    "nowhere");
}

}  // namespace
}  // namespace yono::e2e
