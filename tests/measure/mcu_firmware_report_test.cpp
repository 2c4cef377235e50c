// The firmware report parser, without QEMU: second-round counts are taken,
// instructions are ticks x 1.25, outputs are read bit exact, and unfinished
// or failed runs are errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "yono/compiler/error.h"
#include "yono/compiler/measure/firmware_report.h"

namespace {

using yono::measure::parse_firmware_report;

const char* kRun =
    "PACK 78928 2 198912\n"
    "MODEL 0 small switch=40 invoke=1000 round=0 arena=1024\n"
    "OUT 0 0 0 0 3f800000\n"
    "OUT 0 0 0 1 7fc00001\n"
    "OUT 0 0 0 2 80000000\n"
    "MODEL 1 large switch=41 invoke=900000 round=0 arena=198912\n"
    "OUT 1 0 0 0 bf800000\n"
    "OUT 1 0 1 0 40000000\n"
    "MODEL 0 small switch=32 invoke=800 round=1 arena=1024\n"
    "OUT 0 1 0 0 3f800000\n"
    "OUT 0 1 0 1 7fc00001\n"
    "OUT 0 1 0 2 00000000\n"
    "MODEL 1 large switch=31 invoke=800002 round=1 arena=198912\n"
    "STACK 920\n"
    "DONE\n";

std::string error_of(const std::string& text) {
  try {
    parse_firmware_report(text, "app.elf");
  } catch (const yono::Error& e) {
    return e.what();
  }
  return "";
}

TEST(McuFirmwareReport, TakesTheSecondRound) {
  const yono::measure::FirmwareReport r = parse_firmware_report(kRun, "app.elf");
  EXPECT_EQ(r.pack_bytes, 78928u);
  EXPECT_EQ(r.model_count, 2u);
  EXPECT_EQ(r.arena_bytes, 198912u);
  EXPECT_EQ(r.stack_high_water, 920u);
  ASSERT_EQ(r.models.size(), 2u);
  EXPECT_EQ(r.models[0].name, "small");
  EXPECT_EQ(r.models[0].switch_ticks, 32u);
  EXPECT_EQ(r.models[0].invoke_ticks, 800u);
  EXPECT_EQ(r.models[0].arena_bytes, 1024u);
  EXPECT_EQ(r.models[1].name, "large");
  EXPECT_EQ(r.models[1].invoke_ticks, 800002u);
}

uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

TEST(McuFirmwareReport, ReadsEveryRoundAndOutputBitExact) {
  const yono::measure::FirmwareReport r = parse_firmware_report(kRun, "app.elf");
  ASSERT_EQ(r.models[0].outputs.size(), 2u);  // both rounds
  ASSERT_EQ(r.models[0].outputs[0].size(), 1u);
  const std::vector<float>& first = r.models[0].outputs[0][0];
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0], 1.0f);
  EXPECT_EQ(bits_of(first[1]), 0x7fc00001u);             // a NaN keeps its payload
  EXPECT_EQ(bits_of(first[2]), 0x80000000u);             // -0
  EXPECT_EQ(bits_of(r.models[0].outputs[1][0][2]), 0u);  // round 1 kept apart from round 0
  ASSERT_EQ(r.models[1].outputs.size(), 1u);             // model 1 printed round 0 only
  ASSERT_EQ(r.models[1].outputs[0].size(), 2u);          // two outputs
  EXPECT_EQ(r.models[1].outputs[0][0], std::vector<float>{-1.0f});
  EXPECT_EQ(r.models[1].outputs[0][1], std::vector<float>{2.0f});
}

TEST(McuFirmwareReport, ModelsWithoutOutLinesHaveNoOutputs) {
  const yono::measure::FirmwareReport r = parse_firmware_report(
      "PACK 10 1 64\nMODEL 0 m switch=3 invoke=4 round=1\nSTACK 8\nDONE\n", "app.elf");
  EXPECT_TRUE(r.models[0].outputs.empty());
}

TEST(McuFirmwareReport, MalformedOutLinesAreErrors) {
  const std::string head = "PACK 10 2 64\n";
  const std::string tail =
      "MODEL 0 m switch=3 invoke=4 round=1\n"
      "MODEL 1 n switch=3 invoke=4 round=1\nSTACK 8\nDONE\n";
  EXPECT_EQ(error_of(head + "OUT 0 0 0 0 3f800000\nOUT 0 0 0 1 0\n" + tail), "");
  EXPECT_NE(error_of("OUT 0 0 0 0 3f800000\n" + head + tail).find("app.elf:1: OUT line before"),
            std::string::npos);
  EXPECT_NE(error_of(head + "OUT 2 0 0 0 3f800000\n" + tail).find("app.elf:2: model index 2"),
            std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 0 0 1 3f800000\n" + tail).find("expected element 0"),
            std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 0 0 0 3f800000\nOUT 0 0 0 0 3f800000\n" + tail)
                .find("app.elf:3: OUT element 0 of model 0 output 0, expected element 1"),
            std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 0 1 0 3f800000\n" + tail).find("expected at most output 0"),
            std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 99 0 0 3f800000\n" + tail).find("round 99"), std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 0 0 0 3g800000\n" + tail).find("hex digits"), std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 0 0 0 13f800000\n" + tail).find("hex digits"),
            std::string::npos);
  EXPECT_NE(error_of(head + "OUT 0 0 0 0\n" + tail).find("cut short"), std::string::npos);
}

TEST(McuFirmwareReport, TicksAreFourFifthsOfAnInstruction) {
  EXPECT_EQ(yono::measure::ticks_to_instructions(800), 1000u);
  EXPECT_EQ(yono::measure::ticks_to_instructions(32), 40u);
  EXPECT_EQ(yono::measure::ticks_to_instructions(31), 39u);  // 38.75, rounded
}

TEST(McuFirmwareReport, ToleratesForeignLinesAndOlderModelLines) {
  const std::string text = std::string("qemu: some warning\r\n") +
                           "PACK 10 1 64\n"
                           "MODEL 0 m switch=3 invoke=4 round=1\n"
                           "STACK 8\nDONE\n";
  const yono::measure::FirmwareReport r = parse_firmware_report(text, "app.elf");
  EXPECT_EQ(r.models[0].invoke_ticks, 4u);
  EXPECT_EQ(r.models[0].arena_bytes, 0u);
}

TEST(McuFirmwareReport, FailedOrUnfinishedRunsAreErrorsNamingTheSource) {
  const std::string run = kRun;
  const std::string no_done = run.substr(0, run.find("DONE"));
  EXPECT_NE(error_of(no_done).find("app.elf: the firmware did not finish"), std::string::npos);
  EXPECT_NE(error_of("PACK 1 1 1\nFAULT\n").find("app.elf: firmware reported: FAULT"),
            std::string::npos);
  EXPECT_NE(error_of("ERROR invoke: bad\nDONE\n").find("ERROR invoke"), std::string::npos);
  EXPECT_NE(error_of("STACK 8\nDONE\n").find("no PACK"), std::string::npos);
  const std::string missing_round =
      "PACK 10 2 64\nMODEL 0 m switch=3 invoke=4 round=1\nSTACK 8\nDONE\n";
  EXPECT_NE(error_of(missing_round).find("model 1"), std::string::npos);
}

TEST(McuFirmwareReport, MalformedLinesAreErrorsWithTheLineNumber) {
  EXPECT_NE(error_of("PACK 10 x 64\nDONE\n").find("app.elf:1"), std::string::npos);
  EXPECT_NE(
      error_of("PACK 10 1 64\nMODEL 0 m switch=-3 invoke=4 round=1\nDONE\n").find("app.elf:2"),
      std::string::npos);
  EXPECT_NE(error_of("PACK 10 1 64\nMODEL 0 m invoke=4 round=1\nDONE\n").find("switch="),
            std::string::npos);
  EXPECT_NE(
      error_of("PACK 10 1 64\nMODEL 5 m switch=1 invoke=4 round=1\nDONE\n").find("not in the pack"),
      std::string::npos);
  EXPECT_NE(error_of("PACK 10 1 64\nMODEL 0\nDONE\n").find("cut short"), std::string::npos);
  EXPECT_NE(error_of("PACK 10 1 64\nSTACK 99999999999999999999999\nDONE\n").find("number"),
            std::string::npos);
}

}  // namespace
