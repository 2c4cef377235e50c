// Inputs for the `yono report` tests: a PQ and a float pack of two fixtures
// (made by the CLI), evals of both, an MCU bench file, a real `yono bench
// switch` JSON and a compress sweep. The eval and MCU files are written here in the commands'
// formats: their numbers are chosen, so the tests can look for them.
#pragma once

#include <string>
#include <vector>

#include "e2e_util.h"

namespace yono::e2e {

struct ReportInputs {
  std::string pq_pack, float_pack;
  std::vector<std::string> evals;  // pq lenet5, pq sensor_1d, float lenet5, float sensor_1d
  std::vector<std::string> bench;  // mcu.json, switch.json, sweep.json
};

ReportInputs write_report_inputs(const ScratchDir& dir);

}  // namespace yono::e2e
