// Host side of `./run firmware-test`: re-runs every model of a pack with the
// host runtime on the same deterministic inputs the firmware used, and
// compares each output the firmware printed over semihosting.
//   fw_check PACK LOG [--tolerance REL]
// Exit 0 when every output matches within the relative tolerance, 1 on a
// mismatch, 2 on unusable input. Prints one summary line per model.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../app/test_input.h"
#include "yono/compiler/error.h"
#include "yono/compiler/io/aligned_buffer.h"
#include "yono/compiler/io/file_io.h"
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
    const yono::AlignedBuffer storage(yono::read_file(argv[1]));
    yono::Pack pack;
    if (yono::Pack::open(storage.data(), storage.size(), &pack) != yono::Status::kOk)
      throw yono::Error(std::string(argv[1]) + ": not a valid pack");
    const std::vector<uint8_t> log = yono::read_file(argv[2]);
    const yono::measure::FirmwareReport device =
        yono::measure::parse_firmware_report(std::string(log.begin(), log.end()), argv[2]);

    bool all_ok = true;
    for (uint32_t m = 0; m < pack.model_count(); ++m) {
      yono::AlignedBuffer arena((pack.arena_size(m) + 15) / 16 * 16 + 16);
      yono::Session session(pack, arena.data(), arena.size());
      if (session.select(m) != yono::Status::kOk) throw yono::Error("host select failed");
      yono::TensorView in = session.input(0);
      fill_test_input(in.data, in.element_count, m);
      if (session.invoke() != yono::Status::kOk) throw yono::Error("host invoke failed");
      const yono::TensorView out = session.output(0);
      const std::vector<float>* got_values =
          m < device.models.size() ? &device.models[m].outputs : nullptr;
      const bool missing = got_values == nullptr || got_values->empty();
      double worst = 0;
      bool ok = !missing && got_values->size() == out.element_count;
      for (uint32_t i = 0; ok && i < out.element_count; ++i) {
        const float got = (*got_values)[i];
        const double want = out.data[i];
        // Relative to the output's scale, so values near zero do not explode it.
        const double rel = std::fabs(got - want) / std::max(1e-3, std::fabs(want));
        worst = std::max(worst, rel);
      }
      ok = ok && worst <= tolerance;
      all_ok = all_ok && ok;
      // Counts are `yono bench mcu`'s job; this only judges outputs.
      std::printf("%-4s %-20s %4u outputs  max rel diff %.3g%s\n", ok ? "ok" : "FAIL",
                  pack.model_name(m), out.element_count, worst, missing ? "  (missing)" : "");
    }
    return all_ok ? 0 : 1;
  } catch (const yono::Error& e) {
    std::fprintf(stderr, "fw_check: error: %s\n", e.what());
    return 2;
  }
}
