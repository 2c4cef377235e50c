// Fuzz target: the sensor table reader (compiler/src/data/
// sensor_table_reader.cpp): read_sensor_table on the input written as a
// .csv file (commas and/or whitespace, an optional header line), then the
// windows a sensor folder cuts from it (sensor_frontend.h).
// Seeds: fuzz/corpus/sensor_table_reader (CSV with a header, whitespace
// tables, a ragged one).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "yono/compiler/data/sensor_table_reader.h"
#include "yono/compiler/frontend/sensor_frontend.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = yono::fuzz::write_scratch_file("recording.csv", data, size);
  yono::fuzz::expect_only_yono_errors("read_sensor_table", [&] {
    const yono::data::SensorTable table = yono::data::read_sensor_table(path);
    if (table.columns == 0 || table.values.size() % table.columns != 0)
      yono::fuzz::report_bug("read_sensor_table", "values are not rows x columns");
    // As load_sensor_folders cuts them (user_sensor.cpp), with short windows.
    yono::frontend::SensorFrontendConfig config;
    config.window = 8;
    config.hop = 4;
    config.axes = static_cast<int>(table.columns);
    config.normalise = false;
    const int windows = yono::frontend::sensor_window_count(config, table.rows());
    std::vector<float> out(static_cast<size_t>(yono::frontend::sensor_channels(config)) *
                           static_cast<size_t>(config.window));
    for (int w = 0; w < windows; ++w)
      yono::frontend::sensor_window(config, table.values.data(), table.rows(), w, out.data());
  });
  return 0;
}
