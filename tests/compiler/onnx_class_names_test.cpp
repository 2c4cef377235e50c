// Class names travel through ONNX as metadata "yono.classes": export writes
// them, import reads them back into ir::Graph, and a malformed entry is an
// error naming the file.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "yono/compiler/error.h"
#include "yono/compiler/onnx/export.h"
#include "yono/compiler/onnx/import.h"

namespace {

std::string fixture(const std::string& file) {
  return std::string(YONO_FIXTURES_DIR) + "/" + file;
}

std::string write_bytes(const std::string& name, const std::string& bytes) {
  const std::string path =
      testing::TempDir() + "/yono_classes_" + std::to_string(::getpid()) + "_" + name + ".onnx";
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(OnnxClassNames, SurviveExportAndImport) {
  yono::ir::Graph g = yono::import_onnx(fixture("lenet5.onnx"), "lenet5");
  EXPECT_TRUE(g.class_names.empty());  // PyTorch's export has none
  const int64_t outputs = yono::ir::element_count(g.tensors[g.outputs[0]].dims);
  for (int64_t i = 0; i < outputs; ++i)
    g.class_names.push_back(i == 0 ? "T-shirt/top" : "cl\"ass \xc3\xa9 " + std::to_string(i));
  const std::string bytes = yono::export_onnx(g);

  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(bytes));
  ASSERT_EQ(model.metadata_props_size(), 1);
  EXPECT_EQ(model.metadata_props(0).key(), "yono.classes");
  EXPECT_EQ(model.metadata_props(0).value().substr(0, 15), "[\"T-shirt/top\",");

  const yono::ir::Graph back = yono::import_onnx(write_bytes("ok", bytes), "again");
  EXPECT_EQ(back.class_names, g.class_names);

  // No names, no entry.
  g.class_names.clear();
  ASSERT_TRUE(model.ParseFromString(yono::export_onnx(g)));
  EXPECT_EQ(model.metadata_props_size(), 0);
}

TEST(OnnxClassNames, MalformedEntryNamesTheFile) {
  yono::ir::Graph g = yono::import_onnx(fixture("lenet5.onnx"), "lenet5");
  g.class_names = {"a", "b"};
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(yono::export_onnx(g)));
  for (const std::string value : {"not json", "[1, 2]", "{\"a\": 1}"}) {
    model.mutable_metadata_props(0)->set_value(value);
    std::string bytes;
    ASSERT_TRUE(model.SerializeToString(&bytes));
    const std::string path = write_bytes("bad", bytes);
    try {
      yono::import_onnx(path, "bad");
      ADD_FAILURE() << "no error for " << value;
    } catch (const yono::Error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("not a JSON array of strings"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
