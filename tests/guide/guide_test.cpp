// docs/GUIDE.md, run as a user runs it: every "$ " line of its ```console
// blocks, verbatim and in order, in one bash session (so the variables the
// guide sets carry over), in a scratch folder holding what the guide starts
// from: the two models its ```python block exports (committed in
// tests/fixtures/guide/, made by exactly that block) and two small data
// folders written here by the same rule that script trains on. Every command
// must succeed; the accuracy lines, the pack's models and, last, the QEMU
// board's outputs equal to the host's are checked in their output. The guide
// cannot drift from what the tools do: a changed flag, a missing step or a
// firmware that stops matching the host fails here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "user_data_fixtures.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = YONO_SOURCE_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct GuideCommand {
  std::string text;                // as typed: continuation lines joined with their "\"
  size_t line = 0;                 // 1-based line of the "$ " in the guide
  std::vector<std::string> shown;  // the output the guide shows under it
};

// The "$ " lines of every ```console block; a command ending in "\" goes on
// over the next lines. Output lines (the rest of the block) are not run but
// kept as the command's shown output.
std::vector<GuideCommand> console_commands(const std::string& markdown) {
  const std::vector<std::string> lines = split_lines(markdown);
  std::vector<GuideCommand> commands;
  bool in_console = false, continued = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.rfind("```", 0) == 0) {
      in_console = !in_console && l == "```console";
      continued = false;
      continue;
    }
    if (!in_console) continue;
    if (continued) {
      commands.back().text += "\n" + l;
    } else if (l.rfind("$ ", 0) == 0) {
      commands.push_back({l.substr(2), i + 1, {}});
    } else {
      if (!commands.empty()) commands.back().shown.push_back(l);
      continue;
    }
    continued = !l.empty() && l.back() == '\\';
  }
  return commands;
}

// The text between "```python" and the next fence; the guide has one.
std::string python_block(const std::string& markdown) {
  const std::string open = "```python\n";
  const size_t start = markdown.find(open);
  if (start == std::string::npos) return "";
  const size_t body = start + open.size();
  const size_t end = markdown.find("\n```", body - 1);
  if (end == std::string::npos) return "";
  return markdown.substr(body, end + 1 - body);
}

// The rule of export_models.py's pattern_batch: noise in [0, 192) plus 56 on
// the stripes of the class (period 4, random phase), as 16x16 grey PNGs.
bool on_stripe(int cls, int y, int x, int py, int px) {
  switch (cls) {
    case 0: return ((x + px) / 2 + (y + py) / 2) % 2 == 0;  // checker
    case 1: return (x + y + px) % 4 < 2;                    // diagonal
    case 2: return (y + py) % 4 < 2;                        // horizontal
    default: return (x + px) % 4 < 2;                       // vertical
  }
}

void make_images(const fs::path& root, const std::string& split, int per_class, uint32_t seed) {
  const std::vector<std::string> classes = {"checker", "diagonal", "horizontal", "vertical"};
  std::mt19937 rng(seed);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int i = 0; i < per_class; ++i) {
      const int py = static_cast<int>(rng() % 4), px = static_cast<int>(rng() % 4);
      std::vector<uint8_t> pixels;
      for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x)
          pixels.push_back(static_cast<uint8_t>(
              rng() % 192 + (on_stripe(static_cast<int>(c), y, x, py, px) ? 56 : 0)));
      yono::test::write_png_image(
          (root / split / classes[c] / (std::to_string(i) + ".png")).string(), 16, 16, 1, pixels);
    }
}

// The rule of export_models.py's gesture_batch, as recordings of `rows`
// samples (x, y, z in g, a header line): gravity on z, noise of 0.5 g, x
// swinging fast (shake), nothing more (still) or y swinging slowly (wave),
// by 0.4 g.
void make_motion(const fs::path& root, const std::string& split, int per_class, int rows,
                 uint32_t seed) {
  const std::vector<std::string> classes = {"shake", "still", "wave"};
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, 0.5f);
  std::uniform_real_distribution<float> phase_of(0.f, 6.28f);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int i = 0; i < per_class; ++i) {
      const float phase = phase_of(rng);
      std::string text = "x,y,z\n";
      for (int t = 0; t < rows; ++t) {
        float v[3] = {noise(rng), noise(rng), 1.0f + noise(rng)};
        if (c == 0) v[0] += 0.4f * std::sin(0.6f * static_cast<float>(t) + phase);
        if (c == 2) v[1] += 0.4f * std::sin(0.15f * static_cast<float>(t) + phase);
        char line[96];
        std::snprintf(line, sizeof line, "%.4f,%.4f,%.4f\n", v[0], v[1], v[2]);
        text += line;
      }
      yono::test::write_text_file(
          (root / split / classes[c] / (std::to_string(i) + ".csv")).string(), text);
    }
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

// Every file under `dir` (the source folders the guide's commands read).
std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) files.insert(e.path().string());
  return files;
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = ::testing::TempDir() + "yono_guide_XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << templ;
    dir_ = templ;
  }
  // YONO_GUIDE_KEEP=1 keeps it (harness/N.out, N.err: each command's
  // output, to copy into the guide when a tool's output changes).
  ~ScratchDir() {
    const char* keep = std::getenv("YONO_GUIDE_KEEP");
    if (keep != nullptr && std::string(keep) == "1") {
      std::printf("kept %s\n", dir_.c_str());
      return;
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return dir_; }

 private:
  fs::path dir_;
};

const std::string kGuide = (kSource / "docs" / "GUIDE.md").string();

TEST(Guide, PythonBlockIsTheScriptThatMadeTheFixtures) {
  const std::string script = read_text(fs::path(YONO_FIXTURES_DIR) / "guide" / "export_models.py");
  EXPECT_EQ(python_block(read_text(kGuide)), script)
      << "docs/GUIDE.md's python block and tests/fixtures/guide/export_models.py differ; the "
         "fixtures are made by running the script (see its block in the guide)";
  for (const char* model : {"patterns.onnx", "gestures.onnx"})
    EXPECT_TRUE(fs::exists(fs::path(YONO_FIXTURES_DIR) / "guide" / model)) << model;
}

TEST(Guide, ExtractsCommandsAndContinuations) {
  const std::string md =
      "text\n$ not a command\n```console\n$ one \\\n  --flag\nout\n$ two\n```\n"
      "```sh\n$ three\n```\n```console\n$ four\n```\n";
  const std::vector<GuideCommand> c = console_commands(md);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].text, "one \\\n  --flag");
  EXPECT_EQ(c[0].line, 4u);
  EXPECT_EQ(c[0].shown, std::vector<std::string>{"out"});
  EXPECT_TRUE(c[1].shown.empty());
  EXPECT_EQ(c[1].text, "two");
  EXPECT_EQ(c[2].text, "four");
}

// The guide's build folder is found from the yono on PATH (build/cli/yono,
// the checkout above it); the test's yono must sit the same way.
bool build_inside_checkout(std::string* why) {
  const fs::path build = fs::path(YONO_CLI_PATH).parent_path().parent_path();
  if (!fs::equivalent(build.parent_path(), kSource)) {
    *why = build.string() + " is not a folder of the checkout " + kSource.string();
    return false;
  }
  if (!fs::equivalent(build / "firmware" / "host" / "fw_check", fs::path(YONO_FW_CHECK_PATH))) {
    *why = "fw_check is not at " + (build / "firmware/host/fw_check").string();
    return false;
  }
  return true;
}

TEST(Guide, RunsVerbatimFromDataFoldersToTheQemuBoard) {
  std::string why;
  if (!build_inside_checkout(&why))
    GTEST_SKIP() << "the guide expects build/ in the checkout: " << why;
  const std::vector<GuideCommand> commands = console_commands(read_text(kGuide));
  ASSERT_GE(commands.size(), 8u) << "docs/GUIDE.md lost its console commands";

  ScratchDir scratch;
  const fs::path work = scratch.path() / "work", harness = scratch.path() / "harness";
  fs::create_directories(work);
  fs::create_directories(harness);
  for (const char* model : {"patterns.onnx", "gestures.onnx"})
    fs::copy_file(fs::path(YONO_FIXTURES_DIR) / "guide" / model, work / model);
  make_images(work / "images", "train", 80, 1);
  make_images(work / "images", "test", 25, 2);
  make_motion(work / "motion", "train", 10, 320, 3);
  make_motion(work / "motion", "test", 4, 320, 4);

  // One bash session: each command as typed, its output captured apart, and
  // the session stops at the first command that fails.
  std::string script = "cd " + shell_quote(work.string()) + " || exit 99\n";
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::string out = shell_quote((harness / (std::to_string(i) + ".out")).string());
    const std::string err = shell_quote((harness / (std::to_string(i) + ".err")).string());
    script += "{ " + commands[i].text + "\n} >" + out + " 2>" + err + " </dev/null\n";
    script += "guide_status_=$?; echo \"" + std::to_string(i) + " $guide_status_\" >>" +
              shell_quote((harness / "status").string()) +
              "; [ $guide_status_ -eq 0 ] || exit $guide_status_\n";
  }
  std::ofstream(harness / "guide.sh") << script;

  const std::string path_env = fs::path(YONO_CLI_PATH).parent_path().string() + ":" +
                               (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  // The source folders the guide's commands read; nothing may land there.
  const std::vector<fs::path> read_only = {kSource / "firmware", kSource / "runtime",
                                           kSource / "cmake"};
  std::vector<std::set<std::string>> source_before;
  for (const fs::path& dir : read_only) source_before.push_back(files_under(dir));
  const std::string run = "env PATH=" + shell_quote(path_env) + " bash --noprofile --norc " +
                          shell_quote((harness / "guide.sh").string());
  const int rc = std::system(run.c_str());

  // Which commands ran, and how the last one ended.
  const std::vector<std::string> status =
      split_lines(fs::exists(harness / "status") ? read_text(harness / "status") : std::string());
  auto output = [&](size_t i) {
    return read_text(harness / (std::to_string(i) + ".out")) +
           read_text(harness / (std::to_string(i) + ".err"));
  };
  ASSERT_FALSE(status.empty()) << "the guide's commands did not start (exit " << rc << ")";
  ASSERT_EQ(rc, 0) << "docs/GUIDE.md line " << commands[status.size() - 1].line << ": `"
                   << commands[status.size() - 1].text << "` failed (" << status.back() << "):\n"
                   << output(status.size() - 1);
  ASSERT_EQ(status.size(), commands.size());
  for (size_t d = 0; d < read_only.size(); ++d)
    EXPECT_EQ(files_under(read_only[d]), source_before[d])
        << "the guide's commands wrote into " << read_only[d];

  // What each step must show, found by the command that makes it.
  const std::regex accuracy(R"(top-1 (\d+\.\d+)%)");
  int evals = 0, compresses = 0, inspects = 0, exports = 0, benches = 0, checks = 0;
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::string& c = commands[i].text;
    const std::string o = output(i);
    SCOPED_TRACE("docs/GUIDE.md line " + std::to_string(commands[i].line) + ": " + c + "\n" + o);
    // The guide shows real output: its lines that do not vary between runs
    // (how a folder was read, the board-vs-host verdicts) are this run's.
    for (const std::string& line : commands[i].shown)
      if (line.rfind("yono: data: ", 0) == 0 || line.rfind("ok   ", 0) == 0)
        EXPECT_NE(o.find(line + "\n"), std::string::npos) << "the guide shows: " << line;
    if (c.rfind("yono compress ", 0) == 0) {
      ++compresses;
      EXPECT_NE(c.find("--finetune learned"), std::string::npos);
      EXPECT_NE(o.find("yono: data: images: image folders"), std::string::npos);
      EXPECT_NE(o.find("yono: data: motion: sensor folders"), std::string::npos);
    } else if (c.rfind("yono eval ", 0) == 0) {
      ++evals;
      std::smatch m;
      ASSERT_TRUE(std::regex_search(o, m, accuracy));
      // Chance is 25% (patterns) and 33% (gestures); the float models
      // learned their folders' rule (about 90% here), and the fine-tuned
      // pack keeps most of it.
      EXPECT_GE(std::stod(m[1]), 70.0);
      const bool onnx = c.find(".onnx ") != std::string::npos;
      EXPECT_NE(o.find(onnx ? "float reference" : "yono runtime"), std::string::npos);
    } else if (c.rfind("yono inspect ", 0) == 0) {
      ++inspects;
      EXPECT_NE(o.find("patterns"), std::string::npos);
      EXPECT_NE(o.find("gestures"), std::string::npos);
    } else if (c.rfind("yono export-c ", 0) == 0) {
      ++exports;
      EXPECT_NE(o.find("_pack.{h,c}"), std::string::npos);
    } else if (c.rfind("yono bench mcu ", 0) == 0) {
      ++benches;
      EXPECT_NE(o.find("(1 firmware images)"), std::string::npos);
    } else if (c.find("fw_check") != std::string::npos) {
      ++checks;
      EXPECT_EQ(i + 1, commands.size()) << "the guide ends with the board-vs-host check";
      for (const char* model : {"patterns", "gestures"})
        EXPECT_TRUE(std::regex_search(
            o, std::regex(std::string("(^|\n)ok +") + model + " .*max rel diff 0(\n|$)")))
            << model << " on the board equals the host";
    }
  }
  EXPECT_EQ(compresses, 1);
  EXPECT_EQ(evals, 4);  // each model as ONNX (float), then in the pack
  EXPECT_EQ(inspects, 1);
  EXPECT_EQ(exports, 1);
  EXPECT_EQ(benches, 1);
  EXPECT_EQ(checks, 1);
}

}  // namespace
