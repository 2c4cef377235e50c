#include "yono/compiler/measure/firmware_check.h"

#include <algorithm>
#include <cmath>

namespace yono::measure {
namespace {

std::string where(size_t round, size_t output, size_t element) {
  return "round " + std::to_string(round) + " output " + std::to_string(output) + " element " +
         std::to_string(element);
}

ModelVerdict judge(const std::vector<std::vector<float>>& host, const std::string& name,
                   const ModelReport* device, double tolerance, size_t rounds) {
  ModelVerdict v;
  v.name = name;
  const size_t reported = device == nullptr ? 0 : device->outputs.size();
  if (reported != rounds) {
    v.problem = "the device reported outputs of " + std::to_string(reported) +
                " rounds, expected " + std::to_string(rounds);
    return v;
  }
  for (size_t r = 0; r < rounds; ++r) {
    const std::vector<std::vector<float>>& got = device->outputs[r];
    if (got.size() != host.size()) {
      v.problem = "round " + std::to_string(r) + ": " + std::to_string(got.size()) +
                  " outputs, the host has " + std::to_string(host.size());
      return v;
    }
    for (size_t k = 0; k < host.size(); ++k) {
      if (got[k].size() != host[k].size()) {
        v.problem = "round " + std::to_string(r) + " output " + std::to_string(k) + ": " +
                    std::to_string(got[k].size()) + " values, the host has " +
                    std::to_string(host[k].size());
        return v;
      }
      for (size_t i = 0; i < host[k].size(); ++i) {
        const double want = host[k][i], have = got[k][i];
        ++v.values;
        // std::max would keep `worst` past a NaN; NaN fails outright.
        if (std::isnan(want) || std::isnan(have)) {
          const char* side = !std::isnan(want) ? "device" : !std::isnan(have) ? "host" : "both";
          v.problem = where(r, k, i) + ": NaN (" + side + ")";
          return v;
        }
        const double rel = std::fabs(have - want) / std::max(1e-3, std::fabs(want));
        if (!(rel <= tolerance) && v.problem.empty()) v.problem = where(r, k, i) + " differs first";
        v.worst_rel = std::max(v.worst_rel, rel);
      }
    }
  }
  v.ok = v.problem.empty();
  return v;
}

}  // namespace

std::vector<ModelVerdict> check_firmware_outputs(
    const std::vector<std::vector<std::vector<float>>>& host, const std::vector<std::string>& names,
    const FirmwareReport& device, double tolerance, size_t rounds) {
  std::vector<ModelVerdict> verdicts;
  for (size_t m = 0; m < host.size(); ++m) {
    const ModelReport* d = m < device.models.size() ? &device.models[m] : nullptr;
    verdicts.push_back(judge(host[m], m < names.size() ? names[m] : "", d, tolerance, rounds));
  }
  return verdicts;
}

}  // namespace yono::measure
