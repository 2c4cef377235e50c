// The QEMU runner with stand-in emulators (shell scripts), so its error
// paths are checked without QEMU: missing emulator, missing image, a run that
// fails or hangs, and a good run's output coming back whole.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "yono/compiler/error.h"
#include "yono/compiler/measure/qemu_run.h"

namespace {

class McuQemuRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "mcu_qemu_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0755);
    elf_ = dir_ + "/app.elf";
    std::ofstream(elf_) << "not really an ELF; the stand-in emulators ignore it";
  }
  void TearDown() override {
    for (const std::string& f : files_) std::remove(f.c_str());
    std::remove(elf_.c_str());
    ::rmdir(dir_.c_str());
  }
  std::string emulator(const std::string& name, const std::string& body) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
    files_.push_back(path);
    return path;
  }
  std::string error_of(const std::string& qemu, const std::string& elf, double timeout = 30) {
    try {
      yono::measure::run_qemu(qemu, "mps2-an386", elf, timeout);
    } catch (const yono::Error& e) {
      return e.what();
    }
    return "";
  }

  std::string dir_, elf_;
  std::vector<std::string> files_;
};

TEST_F(McuQemuRun, ReturnsWhatTheFirmwarePrinted) {
  const std::string qemu = emulator("good", "echo \"PACK 1 1 1\"; echo \"args: $*\"; echo DONE");
  const std::string out = yono::measure::run_qemu(qemu, "mps2-an386", elf_, 30);
  EXPECT_NE(out.find("PACK 1 1 1\n"), std::string::npos);
  EXPECT_NE(out.find("-M mps2-an386"), std::string::npos);
  EXPECT_NE(out.find("-icount shift=5,align=off,sleep=off"), std::string::npos);
  EXPECT_NE(out.find("-kernel " + elf_), std::string::npos);
  EXPECT_NE(out.find("DONE\n"), std::string::npos);
}

TEST_F(McuQemuRun, MissingEmulatorOrImageIsOneLine) {
  EXPECT_NE(error_of(dir_ + "/no-such-qemu", elf_).find("not found"), std::string::npos);
  EXPECT_NE(
      error_of("yono-no-such-qemu-on-path", elf_).find("yono-no-such-qemu-on-path: not found"),
      std::string::npos);
  const std::string qemu = emulator("unused", "exit 0");
  EXPECT_NE(error_of(qemu, dir_ + "/missing.elf").find("missing.elf: no such firmware image"),
            std::string::npos);
}

TEST_F(McuQemuRun, AFailedRunNamesTheImageAndItsLastLine) {
  const std::string qemu = emulator("fault", "echo PACK 1 1 1; echo FAULT; exit 3");
  const std::string e = error_of(qemu, elf_);
  EXPECT_NE(e.find(elf_ + ": run on mps2-an386 exited with status 3"), std::string::npos) << e;
  EXPECT_NE(e.find("last line: FAULT"), std::string::npos) << e;
}

TEST_F(McuQemuRun, AHungRunIsKilledAtTheTimeout) {
  const std::string qemu = emulator("hang", "exec sleep 30");
  EXPECT_NE(error_of(qemu, elf_, 0.2).find("did not finish within 0.2 s"), std::string::npos);
}

}  // namespace
