// Every case of tests/data/bad/ (scripts/make_bad_corpus.py), run as a user
// would type it: exit 2, one stderr line naming the file and the problem,
// no file created (no output, no temporary), every input byte unchanged.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_util.h"

namespace {

namespace fs = std::filesystem;

struct BadCase {
  std::string name, args, file, error;
};

void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.name << ": yono " << c.args;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<BadCase> load_cases() {
  std::vector<BadCase> cases;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(YONO_BAD_INPUTS_DIR, ec)) {
    if (!e.is_directory()) continue;
    BadCase c;
    c.name = e.path().filename().string();
    std::istringstream lines(read_all(e.path() / "case"));
    for (std::string line; std::getline(lines, line);) {
      const size_t colon = line.find(": ");
      const std::string key = line.substr(0, colon);
      const std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
      if (key == "cmd") c.args = value;
      if (key == "file") c.file = value;
      if (key == "error") c.error = value;
    }
    cases.push_back(c);
  }
  std::sort(cases.begin(), cases.end(),
            [](const BadCase& a, const BadCase& b) { return a.name < b.name; });
  return cases;
}

const std::vector<BadCase>& cases() {
  static const std::vector<BadCase> all = load_cases();
  return all;
}

// Relative path -> bytes of every file under `dir`, and every folder as "".
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string rel = fs::relative(e.path(), dir).string();
    files[rel + (e.is_directory() ? "/" : "")] = e.is_regular_file() ? read_all(e.path()) : "";
  }
  return files;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, ExitsTwoWithOneLineAndTouchesNothing) {
  const BadCase& c = GetParam();
  yono::e2e::ScratchDir scratch;
  const fs::path work = scratch.path("case");
  fs::copy(fs::path(YONO_BAD_INPUTS_DIR) / c.name, work, fs::copy_options::recursive);
  const auto before = snapshot(work);
  // Run from inside the case folder, so messages name files as typed; no
  // data search path reaches a real dataset.
  const std::string cmd = "cd " + quoted(work.string()) + " && YONO_DATA=/nonexistent " +
                          quoted(YONO_CLI_PATH) + " " + c.args + " >" +
                          quoted(scratch.path("stdout")) + " 2>" + quoted(scratch.path("stderr"));
  const int status = std::system(cmd.c_str());
  const std::string err = read_all(scratch.path("stderr"));
  ASSERT_TRUE(WIFEXITED(status)) << c.args;
  EXPECT_EQ(WEXITSTATUS(status), 2) << c.args << "\nstderr: " << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "stderr: " << err;
  EXPECT_NE(err.find(c.file), std::string::npos) << "names no '" << c.file << "': " << err;
  EXPECT_NE(err.find(c.error), std::string::npos) << "says no '" << c.error << "': " << err;
  EXPECT_EQ(snapshot(work), before) << "files created or changed by: yono " << c.args;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BadCase>& i) {
                           std::string n = i.param.name;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// The corpus reaches every reader and the output rule of every subcommand.
TEST(BadInputCorpus, CoversEveryReaderAndSubcommand) {
  EXPECT_GE(cases().size(), 60u);
  for (const std::string prefix : {"onnx-", "pack-", "npy-", "out-is-input-", "flag-", "data-wav-",
                                   "data-png-", "data-jpeg-", "data-idx-", "data-csv-"}) {
    EXPECT_TRUE(std::any_of(cases().begin(), cases().end(),
                            [&](const BadCase& c) { return c.name.rfind(prefix, 0) == 0; }))
        << "no case starts with " << prefix;
  }
  for (const std::string cmd : {"import", "compress", "add", "run", "inspect", "eval", "train",
                                "export-c", "bench switch", "bench mcu"}) {
    EXPECT_TRUE(std::any_of(cases().begin(), cases().end(),
                            [&](const BadCase& c) { return c.args.rfind(cmd + " ", 0) == 0; }))
        << "no case runs yono " << cmd;
  }
  for (const BadCase& c : cases()) {
    EXPECT_FALSE(c.args.empty()) << c.name;
    EXPECT_FALSE(c.file.empty() && c.error.empty()) << c.name << " expects nothing of its error";
  }
}

}  // namespace
