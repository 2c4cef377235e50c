// docs/BENCHMARKS.md's generated tables must be what their command makes
// from the committed JSON: a table edited by hand, or JSON re-measured
// without regenerating the table, fails here.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` from the source root (the tests' working directory).
std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

// The text between "<!-- NAME begin -->\n" and "<!-- NAME end -->".
std::string generated_block(const std::string& doc, const std::string& name) {
  const std::string begin = "<!-- " + name + " begin -->\n", end = "<!-- " + name + " end -->";
  const size_t b = doc.find(begin);
  const size_t e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return "(markers missing)";
  return doc.substr(b + begin.size(), e - b - begin.size());
}

TEST(BenchmarkTables, PeerTablesAreTheirJson) {
  const std::string doc = read_file("docs/BENCHMARKS.md");
  ASSERT_FALSE(doc.empty()) << "docs/BENCHMARKS.md not found from the working directory";
  EXPECT_EQ(generated_block(doc, "scripts/peer-table"),
            command_output("scripts/peer-table docs/bench/peer-cmsis.json"))
      << "regenerate with scripts/peer-table and paste between the markers";
}

// The check itself can fail: a changed JSON number changes the table.
TEST(BenchmarkTables, ATableFollowsItsJson) {
  const std::string json = read_file("docs/bench/peer-cmsis.json");
  ASSERT_FALSE(json.empty());
  const std::string table = command_output("scripts/peer-table docs/bench/peer-cmsis.json");
  const std::string path = testing::TempDir() + "benchmark_tables_test.json";
  {
    std::string edited = json;
    const size_t at = edited.find("\"cmsis_nn\": ");
    ASSERT_NE(at, std::string::npos);
    edited.insert(at + 12, "1");  // one more leading digit
    std::ofstream(path) << edited;
  }
  EXPECT_NE(command_output("scripts/peer-table " + path), table);
  std::remove(path.c_str());
}

}  // namespace
