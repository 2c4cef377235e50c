#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "yono/compiler/frontend/sensor_frontend.h"

namespace yono::frontend {
namespace {

TEST(SensorFrontend, CountsWholeWindowsAndOnePaddedWindowForShortRecordings) {
  SensorFrontendConfig c;  // 96 / 48
  EXPECT_EQ(sensor_window_count(c, 0), 0);
  EXPECT_EQ(sensor_window_count(c, 95), 1);
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
  sensor_window(c, recording.data(), 5, 1, out);
  for (int a = 0; a < 3; ++a) {
    for (int t = 0; t < 3; ++t) EXPECT_FLOAT_EQ(out[a * 3 + t], (2 + t + a / 10.0f) / 1.5f);
  }
  c.normalise = false;
  sensor_window(c, recording.data(), 5, 0, out);
  EXPECT_FLOAT_EQ(out[3 + 2], 2.1f);
}

// A recording with slow (orientation-like) and fast components per axis.
std::vector<float> wavy_recording(int samples, int axes) {
  std::vector<float> r;
  for (int t = 0; t < samples; ++t)
    for (int a = 0; a < axes; ++a)
      r.push_back(0.3f * std::sin(0.05f * t + a) + 0.2f * std::sin(1.7f * t * (a + 1)));
  return r;
}

TEST(SensorFrontend, ShortRecordingRepeatsItsLastSample) {
  SensorFrontendConfig c;
  c.window = 6;
  c.normalise = false;
  c.magnitude = true;
  const std::vector<float> rec = {1, 2, 2, 3, 4, 12, 5, 6, 7};  // 3 samples x 3 axes
  ASSERT_EQ(sensor_window_count(c, 3), 1);
  float out[4 * 6];
  sensor_window(c, rec.data(), 3, 0, out);
  const float x[6] = {1, 3, 5, 5, 5, 5};
  const float norm[6] = {
      3, 13, std::sqrt(110.f), std::sqrt(110.f), std::sqrt(110.f), std::sqrt(110.f)};
  for (int t = 0; t < 6; ++t) {
    EXPECT_FLOAT_EQ(out[t], x[t]);
    EXPECT_FLOAT_EQ(out[18 + t], norm[t]);
  }
}

TEST(SensorFrontend, ChannelCountFollowsTheFeatures) {
  SensorFrontendConfig c;
  EXPECT_EQ(sensor_channels(c), 3);
  c.magnitude = true;
  EXPECT_EQ(sensor_channels(c), 4);
  c.gravity_window = 9;
  EXPECT_EQ(sensor_channels(c), 7);
  c.magnitude = false;
  EXPECT_EQ(sensor_channels(c), 6);
}

TEST(SensorFrontend, GravityAndDynamicMatchANaiveMovingAverage) {
  SensorFrontendConfig c;
  c.window = 40;
  c.hop = 10;
  c.gravity_window = 9;
  c.magnitude = true;
  const int samples = 80, index = 2;
  const std::vector<float> rec = wavy_recording(samples, c.axes);
  std::vector<float> out(static_cast<size_t>(sensor_channels(c) * c.window));
  sensor_window(c, rec.data(), samples, index, out.data());
  const int start = index * c.hop, half = c.gravity_window / 2;
  for (int a = 0; a < c.axes; ++a) {
    for (int t = 0; t < c.window; ++t) {
      double sum = 0;  // the edges of the window repeat, never look outside it
      for (int k = t - half; k <= t + half; ++k)
        sum += rec[static_cast<size_t>((start + std::clamp(k, 0, c.window - 1)) * c.axes + a)];
      const double gravity = sum / c.gravity_window / c.full_scale_g;
      const double raw = rec[static_cast<size_t>((start + t) * c.axes + a)] / c.full_scale_g;
      EXPECT_NEAR(out[static_cast<size_t>(a * c.window + t)], gravity, 1e-5) << a << " " << t;
      EXPECT_NEAR(out[static_cast<size_t>((c.axes + a) * c.window + t)], raw - gravity, 1e-5);
    }
  }
  for (int t = 0; t < c.window; ++t) {
    double sq = 0;
    for (int a = 0; a < c.axes; ++a) {
      const double v = rec[static_cast<size_t>((start + t) * c.axes + a)];
      sq += v * v;
    }
    EXPECT_NEAR(out[static_cast<size_t>(6 * c.window + t)], std::sqrt(sq) / c.full_scale_g, 1e-6);
  }
}

TEST(SensorFrontend, ConstantSignalIsAllGravity) {
  SensorFrontendConfig c;
  c.window = 8;
  c.gravity_window = 5;
  c.normalise = false;
  const std::vector<float> rec(8 * 3, 0.5f);
  std::vector<float> out(6 * 8);
  sensor_window(c, rec.data(), 8, 0, out.data());
  for (int t = 0; t < 8; ++t) {
    EXPECT_FLOAT_EQ(out[static_cast<size_t>(t)], 0.5f);
    EXPECT_NEAR(out[static_cast<size_t>(3 * 8 + t)], 0.f, 1e-7);
  }
}

}  // namespace
}  // namespace yono::frontend
