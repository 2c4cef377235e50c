#include <gtest/gtest.h>

#include "yono/compiler/frontend/sensor_frontend.h"

namespace yono::frontend {
namespace {

TEST(SensorFrontend, CountsWholeWindowsOnly) {
  SensorFrontendConfig c;  // 96 / 48
  EXPECT_EQ(sensor_window_count(c, 95), 0);
  EXPECT_EQ(sensor_window_count(c, 96), 1);
  EXPECT_EQ(sensor_window_count(c, 143), 1);
  EXPECT_EQ(sensor_window_count(c, 144), 2);
}

TEST(SensorFrontend, TransposesToAxesByTimeAndNormalises) {
  SensorFrontendConfig c;
  c.window = 3;
  c.hop = 2;
  std::vector<float> recording;  // 5 samples x 3 axes: value = time + axis / 10
  for (int t = 0; t < 5; ++t) {
    for (int a = 0; a < 3; ++a) recording.push_back(static_cast<float>(t) + a / 10.0f);
  }
  float out[9];
  sensor_window(c, recording.data(), 1, out);
  for (int a = 0; a < 3; ++a) {
    for (int t = 0; t < 3; ++t) EXPECT_FLOAT_EQ(out[a * 3 + t], (2 + t + a / 10.0f) / 1.5f);
  }
  c.normalise = false;
  sensor_window(c, recording.data(), 0, out);
  EXPECT_FLOAT_EQ(out[3 + 2], 2.1f);
}

}  // namespace
}  // namespace yono::frontend
