// fw_check's rule: every output of every round within tolerance of the host,
// and a NaN on either side, a missing round or output, or a size mismatch is
// a failure (std::max(worst, NaN) used to keep `worst` and pass).
#include "yono/compiler/measure/firmware_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using yono::measure::check_firmware_outputs;
using yono::measure::FirmwareReport;
using yono::measure::ModelVerdict;
using Outputs = std::vector<std::vector<float>>;  // [output][element]

// A device that printed `rounds` for one model.
FirmwareReport device(const std::vector<Outputs>& rounds) {
  FirmwareReport r;
  r.model_count = 1;
  r.models.resize(1);
  r.models[0].outputs = rounds;
  return r;
}

ModelVerdict judge(const Outputs& host, const std::vector<Outputs>& rounds,
                   double tolerance = 1e-6) {
  const auto v = check_firmware_outputs({host}, {"m"}, device(rounds), tolerance);
  EXPECT_EQ(v.size(), 1u);
  return v.empty() ? ModelVerdict{} : v[0];
}

const Outputs kHost = {{1.0f, -2.0f, 0.5f}, {3.0f}};

TEST(FirmwareCheck, EqualOutputsOfBothRoundsPass) {
  const ModelVerdict v = judge(kHost, {kHost, kHost});
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.values, 8u);  // 2 rounds x 4 values
  EXPECT_EQ(v.worst_rel, 0.0);
  EXPECT_EQ(v.name, "m");
}

TEST(FirmwareCheck, ADifferenceInTheSecondRoundOrOutputFails) {
  Outputs off = kHost;
  off[1][0] = 3.001f;  // output 1, round 1 only
  ModelVerdict v = judge(kHost, {kHost, off});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("round 1 output 1 element 0"), std::string::npos) << v.problem;
  EXPECT_NEAR(v.worst_rel, 0.001 / 3.0, 1e-6);
  // Within a looser tolerance it passes, and the worst difference is still told.
  v = judge(kHost, {kHost, off}, 1e-3);
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_GT(v.worst_rel, 0.0);
}

TEST(FirmwareCheck, NaNOnEitherSideFails) {
  Outputs nan_device = kHost;
  nan_device[0][1] = NAN;
  ModelVerdict v = judge(kHost, {kHost, nan_device}, 1e30);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("NaN (device)"), std::string::npos) << v.problem;

  Outputs nan_host = kHost;
  nan_host[0][2] = NAN;
  v = judge(nan_host, {kHost, kHost}, 1e30);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("NaN (host)"), std::string::npos) << v.problem;
  v = judge(nan_host, {nan_host, nan_host}, 1e30);  // NaN on both sides is no match either
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("NaN (both)"), std::string::npos) << v.problem;
}

TEST(FirmwareCheck, MissingRoundsOutputsOrValuesFail) {
  EXPECT_FALSE(judge(kHost, {kHost}).ok);              // one round only
  EXPECT_FALSE(judge(kHost, {}).ok);                   // no OUT lines at all
  EXPECT_FALSE(judge(kHost, {kHost, {kHost[0]}}).ok);  // round 1 lacks output 1
  Outputs short_output = kHost;
  short_output[0].pop_back();
  const ModelVerdict v = judge(kHost, {kHost, short_output});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("round 1 output 0: 2 values, the host has 3"), std::string::npos)
      << v.problem;
  // A model the device never reported.
  const auto none = check_firmware_outputs({kHost, kHost}, {"a", "b"}, device({kHost, kHost}), 0);
  ASSERT_EQ(none.size(), 2u);
  EXPECT_TRUE(none[0].ok);
  EXPECT_FALSE(none[1].ok);
}

TEST(FirmwareCheck, ValuesNearZeroAreJudgedAgainstAFloorNotThemselves) {
  const Outputs host = {{1e-9f}};
  const Outputs device_out = {{2e-9f}};  // 100 % off, but 1e-6 of the 1e-3 floor
  EXPECT_TRUE(judge(host, {device_out, device_out}, 1e-5).ok);
}

}  // namespace
