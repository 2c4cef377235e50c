// Host side of `./run firmware-test`: re-runs every model of a pack with the
// host runtime on the same deterministic inputs the firmware used, and
// compares each output the firmware printed over semihosting.
//   fw_check PACK LOG [--tolerance REL]
// Exit 0 when every output matches within the relative tolerance, 1 on a
// mismatch, 2 on unusable input. Prints one summary line per model.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../app/test_input.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack_writer.h"
#include "yono/pack.h"
#include "yono/session.h"

namespace {

struct alignas(16) Block {
  uint8_t b[16];
};

struct Device {  // what the firmware reported for one model
  std::map<uint32_t, float> outputs;
};

std::map<uint32_t, Device> parse_log(const std::string& path, bool* done) {
  std::ifstream in(path);
  if (!in) throw yono::Error(path + ": cannot read the firmware log");
  std::map<uint32_t, Device> models;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string tag;
    s >> tag;
    if (tag == "OUT") {
      uint32_t m = 0, i = 0;
      std::string hex;
      s >> m >> i >> hex;
      const uint32_t bits = static_cast<uint32_t>(std::strtoul(hex.c_str(), nullptr, 16));
      float v;
      std::memcpy(&v, &bits, sizeof(v));
      models[m].outputs[i] = v;
    } else if (tag == "DONE") {
      *done = true;
    } else if (tag == "ERROR" || tag == "FAULT") {
      throw yono::Error(path + ": firmware reported: " + line);
    }
  }
  return models;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fw_check PACK LOG [--tolerance REL]\n");
    return 2;
  }
  double tolerance = 1e-6;
  if (argc == 5 && std::strcmp(argv[3], "--tolerance") == 0) tolerance = std::atof(argv[4]);
  try {
    const std::vector<uint8_t> bytes = yono::read_file(argv[1]);
    std::vector<Block> storage((bytes.size() + 15) / 16);
    std::memcpy(storage.data(), bytes.data(), bytes.size());
    yono::Pack pack;
    const auto* data = reinterpret_cast<const uint8_t*>(storage.data());
    if (yono::Pack::open(data, bytes.size(), &pack) != yono::Status::kOk)
      throw yono::Error(std::string(argv[1]) + ": not a valid pack");
    bool done = false;
    const std::map<uint32_t, Device> device = parse_log(argv[2], &done);
    if (!done) throw yono::Error(std::string(argv[2]) + ": the firmware did not finish (no DONE)");

    bool all_ok = true;
    for (uint32_t m = 0; m < pack.model_count(); ++m) {
      std::vector<Block> arena((pack.arena_size(m) + 15) / 16 + 1);
      yono::Session session(pack, reinterpret_cast<uint8_t*>(arena.data()), arena.size() * 16);
      if (session.select(m) != yono::Status::kOk) throw yono::Error("host select failed");
      yono::TensorView in = session.input(0);
      fill_test_input(in.data, in.element_count, m);
      if (session.invoke() != yono::Status::kOk) throw yono::Error("host invoke failed");
      const yono::TensorView out = session.output(0);
      const auto it = device.find(m);
      double worst = 0;
      bool ok = it != device.end() && it->second.outputs.size() == out.element_count;
      for (uint32_t i = 0; ok && i < out.element_count; ++i) {
        const float got = it->second.outputs.at(i);
        const double want = out.data[i];
        // Relative to the output's scale, so values near zero do not explode it.
        const double rel = std::fabs(got - want) / std::max(1e-3, std::fabs(want));
        worst = std::max(worst, rel);
      }
      ok = ok && worst <= tolerance;
      all_ok = all_ok && ok;
      // Counts are `yono bench mcu`'s job; this only judges outputs.
      std::printf("%-4s %-20s %4u outputs  max rel diff %.3g%s\n", ok ? "ok" : "FAIL",
                  pack.model_name(m), out.element_count, worst,
                  it == device.end() ? "  (missing)" : "");
    }
    return all_ok ? 0 : 1;
  } catch (const yono::Error& e) {
    std::fprintf(stderr, "fw_check: error: %s\n", e.what());
    return 2;
  }
}
