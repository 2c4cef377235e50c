// Strict on the lines it uses, tolerant of the rest (QEMU may add its own
// messages), so a half-finished or garbled run is an error rather than a
// table of zeros or outputs compared against the wrong elements.
#include "yono/compiler/measure/firmware_report.h"

#include <cstring>
#include <sstream>

#include "yono/compiler/error.h"

namespace yono::measure {
namespace {

// Bounds on the indices an OUT line may name, so a garbled line cannot make
// the parser allocate: the firmware runs 2 rounds; a pack model has at most
// 64 outputs.
constexpr uint64_t kMaxRounds = 16, kMaxOutputs = 64;

struct LineReader {
  std::istringstream in;
  const std::string& where;

  uint64_t number() {
    std::string token;
    in >> token;
    return parse(token);
  }

  uint64_t parse(const std::string& token) {
    if (token.empty() || token.size() > 19 ||
        token.find_first_not_of("0123456789") != std::string::npos)
      throw Error(where + ": expected a number, got '" + token + "'");
    return std::stoull(token);
  }

  // An IEEE 754 single printed as its bits in hex, as Line::hex32 does.
  float bits() {
    const std::string token = word();
    if (token.size() > 8 || token.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      throw Error(where + ": expected up to 8 hex digits, got '" + token + "'");
    const uint32_t value = static_cast<uint32_t>(std::stoul(token, nullptr, 16));
    float f;
    std::memcpy(&f, &value, sizeof f);
    return f;
  }

  std::string word() {
    std::string token;
    if (!(in >> token)) throw Error(where + ": line is cut short");
    return token;
  }
};

ModelReport parse_model(LineReader& r, uint64_t* round) {
  ModelReport m;
  const uint64_t index = r.number();
  if (index > UINT32_MAX) throw Error(r.where + ": model index out of range");
  m.index = static_cast<uint32_t>(index);
  m.name = r.word();
  bool has_switch = false, has_invoke = false, has_round = false;
  std::string token;
  while (r.in >> token) {
    const size_t eq = token.find('=');
    if (eq == std::string::npos) throw Error(r.where + ": expected key=value, got '" + token + "'");
    const std::string key = token.substr(0, eq);
    const uint64_t value = r.parse(token.substr(eq + 1));
    if (key == "switch") {
      m.switch_ticks = value;
      has_switch = true;
    } else if (key == "invoke") {
      m.invoke_ticks = value;
      has_invoke = true;
    } else if (key == "round") {
      *round = value;
      has_round = true;
    } else if (key == "arena") {
      m.arena_bytes = value;
    }  // other keys: newer firmware, ignored
  }
  if (!has_switch || !has_invoke || !has_round)
    throw Error(r.where + ": MODEL line needs switch=, invoke= and round=");
  return m;
}

}  // namespace

FirmwareReport parse_firmware_report(const std::string& text, const std::string& source) {
  FirmwareReport report;
  bool has_pack = false, has_stack = false, done = false;
  std::vector<bool> seen;
  std::istringstream lines(text);
  std::string line;
  for (size_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = source + ":" + std::to_string(number);
    LineReader r{std::istringstream(line), where};
    std::string tag;
    r.in >> tag;
    if (tag == "ERROR" || tag == "FAULT") throw Error(source + ": firmware reported: " + line);
    if (done || tag.empty()) continue;
    if (tag == "PACK") {
      report.pack_bytes = r.number();
      const uint64_t count = r.number();
      if (count == 0 || count > 65535) throw Error(where + ": implausible model count");
      report.model_count = static_cast<uint32_t>(count);
      report.arena_bytes = r.number();
      report.models.assign(report.model_count, ModelReport{});
      seen.assign(report.model_count, false);
      has_pack = true;
    } else if (tag == "MODEL") {
      if (!has_pack) throw Error(where + ": MODEL line before the PACK line");
      uint64_t round = 0;
      ModelReport m = parse_model(r, &round);
      if (m.index >= report.model_count)
        throw Error(where + ": model index " + std::to_string(m.index) + " is not in the pack");
      if (round != 1) continue;  // round 0 includes first-touch effects
      seen[m.index] = true;
      m.outputs = std::move(report.models[m.index].outputs);
      report.models[m.index] = std::move(m);
    } else if (tag == "OUT") {
      if (!has_pack) throw Error(where + ": OUT line before the PACK line");
      const uint64_t model = r.number();
      if (model >= report.model_count)
        throw Error(where + ": model index " + std::to_string(model) + " is not in the pack");
      const uint64_t round = r.number(), output = r.number(), element = r.number();
      auto& rounds = report.models[model].outputs;
      if (round >= kMaxRounds) throw Error(where + ": round " + std::to_string(round) + " of OUT");
      if (rounds.size() <= round) rounds.resize(round + 1);
      std::vector<std::vector<float>>& outputs = rounds[round];
      if (output > outputs.size() || output >= kMaxOutputs)
        throw Error(where + ": OUT output " + std::to_string(output) + " of model " +
                    std::to_string(model) + ", expected at most output " +
                    std::to_string(outputs.size()));
      if (output == outputs.size()) outputs.emplace_back();
      std::vector<float>& values = outputs[output];
      if (element != values.size()) {
        throw Error(where + ": OUT element " + std::to_string(element) + " of model " +
                    std::to_string(model) + " output " + std::to_string(output) +
                    ", expected element " + std::to_string(values.size()));
      }
      values.push_back(r.bits());
    } else if (tag == "STACK") {
      report.stack_high_water = r.number();
      has_stack = true;
    } else if (tag == "DONE") {
      done = true;
    }
  }
  if (!done) throw Error(source + ": the firmware did not finish (no DONE line)");
  if (!has_pack) throw Error(source + ": no PACK line");
  if (!has_stack) throw Error(source + ": no STACK line");
  for (uint32_t i = 0; i < report.model_count; ++i) {
    if (!seen[i])
      throw Error(source + ": no second-round MODEL line for model " + std::to_string(i));
  }
  return report;
}

}  // namespace yono::measure
