// Every table of docs/BENCHMARKS.md must be what scripts/bench-tables makes
// from the committed JSON in docs/bench/: a table edited by hand, a table
// outside a generated block, or JSON re-measured without regenerating the
// document fails here.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Outcome {
  std::string out;
  int status = -1;
};

// Runs `command` from the source root (the tests' working directory).
Outcome shell(const std::string& command) {
  Outcome r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) r.out.append(buf, n);
  r.status = pclose(pipe);
  return r;
}

std::string command_output(const std::string& command) {
  const Outcome r = shell(command);
  EXPECT_EQ(r.status, 0) << command;
  return r.out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The text between "<!-- bench-tables NAME begin -->\n" and "<!-- bench-tables NAME end -->".
std::string generated_block(const std::string& doc, const std::string& name) {
  const std::string begin = "<!-- bench-tables " + name + " begin -->\n";
  const std::string end = "<!-- bench-tables " + name + " end -->";
  const size_t b = doc.find(begin);
  const size_t e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return "(markers missing)";
  return doc.substr(b + begin.size(), e - b - begin.size());
}

// A scratch copy of docs/bench/ for the tests that edit JSON.
std::string copy_of_bench_json(const std::string& name) {
  const std::string dir = testing::TempDir() + "benchmark_tables_" + name;
  EXPECT_EQ(shell("rm -rf '" + dir + "' && cp -r docs/bench '" + dir + "'").status, 0);
  return dir;
}

TEST(BenchmarkTables, EveryBlockIsItsJson) {
  const std::string doc = read_file("docs/BENCHMARKS.md");
  ASSERT_FALSE(doc.empty()) << "docs/BENCHMARKS.md not found from the working directory";
  const std::vector<std::string> blocks = lines_of(command_output("scripts/bench-tables --list"));
  ASSERT_GE(blocks.size(), 10u);
  for (const std::string& name : blocks) {
    EXPECT_EQ(generated_block(doc, name), command_output("scripts/bench-tables " + name))
        << "block " << name << ": regenerate with scripts/bench-tables --write";
  }
  EXPECT_EQ(shell("scripts/bench-tables --check 2>&1").status, 0);
}

// A markdown table is a generated block's, never typed between them.
TEST(BenchmarkTables, NoTableOutsideABlock) {
  const std::string doc = read_file("docs/BENCHMARKS.md");
  ASSERT_FALSE(doc.empty());
  std::string inside;
  int number = 0;
  for (const std::string& line : lines_of(doc)) {
    ++number;
    if (line.rfind("<!-- bench-tables ", 0) == 0) {
      const bool begins = line.find(" begin -->") != std::string::npos;
      EXPECT_EQ(begins, inside.empty()) << "line " << number << ": unbalanced marker " << line;
      inside = begins ? line : "";
      continue;
    }
    if (inside.empty()) {
      EXPECT_NE(line.rfind('|', 0), 0u) << "docs/BENCHMARKS.md line " << number
                                        << " is a table row outside a generated block: " << line;
    }
  }
  EXPECT_TRUE(inside.empty()) << "a block is not closed: " << inside;
}

// The check itself can fail: a changed JSON number changes the table, and
// --check then names the block.
TEST(BenchmarkTables, ATableFollowsItsJson) {
  const std::string dir = copy_of_bench_json("edited");
  const std::string table = command_output("scripts/bench-tables peer");
  {
    std::string json = read_file(dir + "/peer-cmsis.json");
    const size_t at = json.find("\"cmsis_nn\": ");
    ASSERT_NE(at, std::string::npos);
    json.insert(at + 12, "1");  // one more leading digit
    std::ofstream(dir + "/peer-cmsis.json") << json;
  }
  const std::string env = "BENCH_JSON_DIR='" + dir + "' ";
  EXPECT_NE(command_output(env + "scripts/bench-tables peer"), table);
  const Outcome check = shell(env + "scripts/bench-tables --check 2>&1");
  EXPECT_NE(check.status, 0);
  EXPECT_NE(check.out.find("block 'peer'"), std::string::npos) << check.out;
  EXPECT_EQ(check.out.find("block 'fixtures'"), std::string::npos) << check.out;
  shell("rm -rf '" + dir + "'");
}

// --write puts a hand-edited block back and leaves the rest of the text alone.
TEST(BenchmarkTables, WriteRestoresABlock) {
  const std::string doc = read_file("docs/BENCHMARKS.md");
  ASSERT_FALSE(doc.empty());
  const std::string path = testing::TempDir() + "benchmark_tables_doc.md";
  std::string edited = doc;
  const std::string block = generated_block(doc, "peer");
  const size_t at = edited.find(block);
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, block.size(), "\n| a | table typed by hand |\n");
  std::ofstream(path) << edited;
  const std::string env = "BENCH_DOC='" + path + "' ";
  EXPECT_NE(shell(env + "scripts/bench-tables --check 2>/dev/null").status, 0);
  EXPECT_EQ(shell(env + "scripts/bench-tables --write").status, 0);
  EXPECT_EQ(read_file(path), doc);
  std::remove(path.c_str());
}

}  // namespace
