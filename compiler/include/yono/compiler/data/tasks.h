// The real tasks yono is evaluated on, each loaded from the data search path
// (data_path.h) and passed through its front end into train/validation/test.
//
//   fashion-mnist  {1, 28, 28}  10 classes  official 60000/10000; validation = 5000 seeded from
//   train cifar10        {3, 32, 32}  10 classes  official 50000/10000; validation = 5000 seeded
//   from train fsdd           {1, 49, 40}  10 digits   log-mel; index 0-4 test (300), validation =
//   270 seeded fsdd-mfcc      {1, 49, 13}  10 digits   same split, MFCC features hmp            {3,
//   96}      10 activities  3 s windows; split by recording, 20 % test
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yono/compiler/data/dataset.h"
#include "yono/compiler/frontend/audio_frontend.h"
#include "yono/compiler/frontend/sensor_frontend.h"

namespace yono::data {

std::vector<std::string> known_tasks();

// The same seed gives the same split on every machine. Throws yono::Error on
// an unknown task, a data set not found (listing the paths tried) or bad files.
Split load_task(const std::string& task, uint64_t seed);

// The front-end settings the tasks use, so the exporter and the device agree.
frontend::AudioFrontendConfig fsdd_audio_config();
frontend::SensorFrontendConfig hmp_sensor_config();
std::vector<std::string> hmp_task_classes();

}  // namespace yono::data
