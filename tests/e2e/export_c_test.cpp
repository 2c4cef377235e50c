// `yono export-c` output used the way a firmware uses it: two packs exported
// with different prefixes are compiled by the system C compiler, linked into
// one program with the runtime library, and run from their const arrays.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e_util.h"
#include "yono/compiler/error.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/c_export.h"
#include "yono/compiler/pack/pack_writer.h"

namespace yono::e2e {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<uint8_t> pack_of(const std::vector<std::string>& names) {
  std::vector<ir::Graph> graphs;
  for (const std::string& n : names) graphs.push_back(import_onnx(fixture(n + ".onnx"), n));
  return write_pack(graphs);
}

// A firmware-like main: checks both arrays against the exported constants,
// opens each pack in place and runs one model, printing the first output.
const char* kMain = R"(
#include <stdio.h>
#include "first_pack.h"
#include "second_pack.h"
#include "yono/pack.h"
#include "yono/session.h"

alignas(16) static unsigned char arena[FIRST_ARENA_SIZE > SECOND_ARENA_SIZE ? FIRST_ARENA_SIZE
                                                                            : SECOND_ARENA_SIZE];
static int run(const unsigned char* data, unsigned size, unsigned model, unsigned in_size) {
  yono::Pack pack;
  if (yono::Pack::open(data, size, &pack) != yono::Status::kOk) return 1;
  yono::Session s(pack, arena, sizeof(arena));
  if (s.select(model) != yono::Status::kOk) return 2;
  yono::TensorView in = s.input(0);
  if (in.element_count != in_size) return 3;
  for (unsigned i = 0; i < in_size; ++i) in.data[i] = 0.25f;
  if (s.invoke() != yono::Status::kOk) return 4;
  printf("%.9g\n", (double)s.output(0).data[0]);
  return 0;
}
int main() {
  if (run(first_pack, FIRST_PACK_SIZE, FIRST_MODEL_LENET5, FIRST_LENET5_INPUT_SIZE)) return 10;
  if (run(second_pack, SECOND_PACK_SIZE, SECOND_MODEL_SENSOR_1D, SECOND_SENSOR_1D_INPUT_SIZE))
    return 11;
  const unsigned shape[] = SECOND_SENSOR_1D_INPUT_SHAPE;
  printf("%u %u %s %s\n", shape[1], shape[2], first_model_names[0], second_model_names[1]);
  return 0;
}
)";

TEST(ExportC, TwoPrefixedPacksLinkIntoOneProgramAndRun) {
  ScratchDir dir;
  const std::vector<uint8_t> first = pack_of({"lenet5"});
  const std::vector<uint8_t> second = pack_of({"mlp_softmax", "sensor_1d"});
  CExportOptions a;
  a.prefix = "first";
  export_c(first, "first.yono", dir.path("first"), a);
  CExportOptions b;
  b.prefix = "second";
  b.runtime_dir = YONO_RUNTIME_SOURCE_DIR;  // copied, though this test links the built library
  export_c(second, "second.yono", dir.path("second"), b);

  EXPECT_TRUE(fs::exists(dir.path("second/src/yono/session.h")));
  EXPECT_TRUE(fs::exists(dir.path("second/src/yono_runtime/session.cpp")));
  EXPECT_TRUE(fs::exists(dir.path("second/library.properties")));
  EXPECT_NE(slurp(dir.path("first/CMakeLists.txt")).find("first_pack"), std::string::npos);

  std::ofstream(dir.path("main.cpp")) << kMain;
  // The packs are compiled as C, as a firmware would; -x none makes the
  // runtime archive a linker input again.
  const std::string cmd =
      "c++ -O1 -I" + dir.path("first/src") + " -I" + dir.path("second/src") + " -I" +
      YONO_RUNTIME_SOURCE_DIR + "/include -x c " + dir.path("first/src/first_pack.c") + " " +
      dir.path("second/src/second_pack.c") + " -x c++ -std=c++17 " + dir.path("main.cpp") +
      " -x none " + YONO_RUNTIME_LIB + " " + YONO_RUNTIME_LINK_FLAGS + " -lm -o " +
      dir.path("app") + " 2>" + dir.path("cc.txt");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir.path("cc.txt"));
  const std::string run = dir.path("app") + " >" + dir.path("out.txt");
  const int status = std::system(run.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << slurp(dir.path("out.txt"));

  // The same models on the same input through the library must agree.
  std::istringstream out(slurp(dir.path("out.txt")));
  float lenet = 0, sensor = 0;
  unsigned channels = 0, length = 0;
  std::string name0, name1;
  out >> lenet >> sensor >> channels >> length >> name0 >> name1;
  EXPECT_EQ(name0, "lenet5");
  EXPECT_EQ(name1, "sensor_1d");
  EXPECT_EQ(channels, 3u);
  const std::vector<float> lenet_want =
      run_in_session(first, "lenet5", std::vector<float>(28 * 28, 0.25f));
  const std::vector<float> sensor_want =
      run_in_session(second, "sensor_1d", std::vector<float>(3 * length, 0.25f));
  EXPECT_FLOAT_EQ(lenet, lenet_want[0]);
  EXPECT_FLOAT_EQ(sensor, sensor_want[0]);
}

TEST(ExportC, RejectsACorruptPackAndWritesNothing) {
  ScratchDir dir;
  std::vector<uint8_t> pack = pack_of({"mlp_softmax"});
  pack[pack.size() / 2] ^= 0xFF;
  try {
    export_c(pack, "bad.yono", dir.path("out"), CExportOptions{});
    FAIL() << "a corrupt pack was exported";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yono"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir.path("out")));
}

TEST(ExportC, CIdentifiersAreValid) {
  EXPECT_EQ(c_identifier("kws-v2", true), "KWS_V2");
  EXPECT_EQ(c_identifier("3dnet", false), "_3dnet");
  EXPECT_EQ(c_identifier("", true), "_");
}

}  // namespace
}  // namespace yono::e2e
