// Host side of `./run firmware-test`: re-runs every model of a pack with the
// host runtime on the same deterministic inputs the firmware used, and
// compares every output of both rounds the firmware printed over semihosting
// (measure/firmware_check.h decides).
//   fw_check PACK LOG [--tolerance REL]
// Exit 0 when every output matches within the relative tolerance, 1 on a
// mismatch, 2 on unusable input. Prints one summary line per model.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../app/test_input.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"
#include "yono/compiler/io/loaded_pack.h"
#include "yono/compiler/measure/firmware_check.h"
#include "yono/compiler/measure/firmware_report.h"
#include "yono/pack.h"
#include "yono/session.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fw_check PACK LOG [--tolerance REL]\n");
    return 2;
  }
  double tolerance = 1e-6;
  if (argc == 5 && std::strcmp(argv[3], "--tolerance") == 0) tolerance = std::atof(argv[4]);
  try {
    const std::unique_ptr<yono::LoadedPack> loaded = yono::load_pack(argv[1]);
    const yono::Pack& pack = loaded->pack;
    const std::vector<uint8_t> log = yono::read_file(argv[2]);
    const yono::measure::FirmwareReport device =
        yono::measure::parse_firmware_report(std::string(log.begin(), log.end()), argv[2]);

    // The host's outputs for the inputs the firmware used, model by model in
    // a fresh arena (the device switched in one; equal results are the point).
    std::vector<std::vector<std::vector<float>>> host;
    std::vector<std::string> names;
    for (uint32_t m = 0; m < pack.model_count(); ++m) {
      yono::AlignedBuffer arena = yono::host_arena(pack, {m}, argv[1]);
      yono::Session session(pack, arena.data(), arena.size());
      if (session.select(m) != yono::Status::kOk) throw yono::Error("host select failed");
      yono::TensorView in = session.input(0);
      fill_test_input(in.data, in.element_count, m);
      if (session.invoke() != yono::Status::kOk) throw yono::Error("host invoke failed");
      host.emplace_back();
      for (uint32_t k = 0; k < pack.output_count(m); ++k) {
        const yono::TensorView out = session.output(k);
        host.back().emplace_back(out.data, out.data + out.element_count);
      }
      names.emplace_back(pack.model_name(m));
    }
    bool all_ok = true;
    for (const yono::measure::ModelVerdict& v :
         yono::measure::check_firmware_outputs(host, names, device, tolerance)) {
      all_ok = all_ok && v.ok;
      // Counts are `yono bench mcu`'s job; this only judges outputs.
      std::printf("%-4s %-20s %5llu values (2 rounds, every output)  max rel diff %.3g%s%s\n",
                  v.ok ? "ok" : "FAIL", v.name.c_str(), static_cast<unsigned long long>(v.values),
                  v.worst_rel, v.problem.empty() ? "" : "  ", v.problem.c_str());
    }
    return all_ok ? 0 : 1;
  } catch (const yono::Error& e) {
    std::fprintf(stderr, "fw_check: error: %s\n", e.what());
    return 2;
  }
}
