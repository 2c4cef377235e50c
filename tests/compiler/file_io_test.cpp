// Outputs are written whole or not at all, never over an input, and a killed
// run's temporary file does not outlive the next write of its target.
#include "yono/compiler/io/file_io.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/pack/pack_writer.h"

namespace {

namespace fs = std::filesystem;

TEST(FileIo, AtomicWriteRoundTripsAndLeavesNoTemporaries) {
  const auto dir = fs::temp_directory_path() / ("yono_pack_io_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "out.yono").string();
  const auto bytes = yono::write_pack({yono::test::signal_model("s")});
  yono::write_file_atomic(path, {1, 2, 3});
  yono::write_file_atomic(path, bytes);  // replaces the existing file
  EXPECT_EQ(yono::read_file(path), bytes);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_THROW(yono::write_file_atomic((dir / "missing" / "x.yono").string(), bytes), yono::Error);
  EXPECT_THROW(yono::read_file((dir / "missing.yono").string()), yono::Error);
  std::filesystem::remove_all(dir);
}

TEST(FileIo, RefusesAnOutputThatIsAnInputOrAnotherOutput) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("yono_distinct_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string in = (dir / "in.onnx").string();
  yono::write_file_atomic(in, {1, 2, 3});
  fs::create_symlink(in, dir / "link.onnx");
  const std::string other = (dir / "sub" / ".." / "in.onnx").string();
  fs::create_directories(dir / "sub");
  const std::string out = (dir / "out.yono").string();
  EXPECT_NO_THROW(yono::check_outputs_distinct({in}, {out, (dir / "r.json").string(), ""}));
  fs::create_hard_link(in, dir / "hard.onnx");  // another name, the same inode
  for (const std::string& bad :
       {in, (dir / "link.onnx").string(), other, (dir / "hard.onnx").string()}) {
    try {
      yono::check_outputs_distinct({in}, {bad});
      ADD_FAILURE() << bad;
    } catch (const yono::Error& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(yono::check_outputs_distinct({in}, {out, (dir / "." / "out.yono").string()}),
               yono::Error);
  fs::remove_all(dir);
}

// A pid no process has: a child that has exited and been reaped.
pid_t gone_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

void touch(const fs::path& p) {
  std::ofstream(p) << "partial";
}

TEST(FileIo, NextWriteRemovesTheTemporariesOfAKilledRunOnly) {
  const fs::path dir = fs::temp_directory_path() / ("yono_stale_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string dead = std::to_string(gone_pid()), live = std::to_string(getpid());
  const fs::path stale = dir / ("out.yono.tmp." + dead + ".a1B2c3");
  const fs::path writing = dir / ("out.yono.tmp." + live + ".x9Y8z7");  // a live writer's
  const fs::path other_target = dir / ("other.yono.tmp." + dead + ".q1w2e3");
  const fs::path not_ours = dir / "out.yono.tmp.notes";
  for (const fs::path& p : {stale, writing, other_target, not_ours}) touch(p);
  yono::write_file_atomic((dir / "out.yono").string(), {7, 8, 9});
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(writing));
  EXPECT_TRUE(fs::exists(other_target));  // only out.yono's leftovers are its business
  EXPECT_TRUE(fs::exists(not_ours));
  EXPECT_EQ(yono::read_file((dir / "out.yono").string()), (std::vector<uint8_t>{7, 8, 9}));
  fs::remove_all(dir);
}

}  // namespace
