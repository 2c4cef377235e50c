// Inputs the onnx_import fuzz target (fuzz/onnx_import_fuzzer.cpp) found
// crashing the importer, each rebuilt here the way the fuzzer made it: a
// valid exported model with one field changed. Each used to end in undefined
// behaviour (signed overflow, an index before a vector) or an exception
// other than yono::Error; now each is refused with a message. The crashing
// files themselves are kept in fuzz/corpus/onnx_import/crash-*.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "pack_test_graphs.h"
#include "yono/compiler/error.h"
#include "yono/compiler/ir/ir.h"
#include "yono/compiler/onnx/export.h"
#include "yono/compiler/onnx/import.h"

namespace {

using yono::test::LayerKind;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

onnx::ModelProto exported(LayerKind kind) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(yono::export_onnx(yono::test::layer_model("m", kind, 1))));
  return m;
}

// The importer's message for `m`, or "(no error)".
std::string import_error(const onnx::ModelProto& m, const std::string& file) {
  const std::string path = testing::TempDir() + "/yono_fuzz_regression_" + file + ".onnx";
  {
    std::ofstream out(path, std::ios::binary);
    m.SerializeToOstream(&out);
  }
  try {
    yono::import_onnx(path, file);
  } catch (const yono::Error& e) {
    return e.what();
  }
  return "(no error)";
}

onnx::NodeProto* first_node(onnx::ModelProto& m, const std::string& op_type) {
  for (auto& n : *m.mutable_graph()->mutable_node())
    if (n.op_type() == op_type) return &n;
  ADD_FAILURE() << "no " << op_type << " node";
  return m.mutable_graph()->add_node();
}

// A node placed before every other one (constants are folded in order).
onnx::NodeProto* prepend_node(onnx::ModelProto& m, const std::string& op_type,
                              const std::vector<std::string>& inputs, const std::string& output) {
  auto* nodes = m.mutable_graph()->mutable_node();
  nodes->Add();
  for (int i = nodes->size() - 1; i > 0; --i) nodes->SwapElements(i, i - 1);
  onnx::NodeProto* n = nodes->Mutable(0);
  n->set_op_type(op_type);
  n->set_name(output + "_node");
  for (const std::string& in : inputs) n->add_input(in);
  n->add_output(output);
  return n;
}

void set_ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& values) {
  for (auto& a : *n->mutable_attribute()) {
    if (a.name() == name) {
      a.clear_ints();
      for (int64_t v : values) a.add_ints(v);
      return;
    }
  }
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

// A Constant node holding an int64 vector, as PyTorch writes shape arithmetic.
void prepend_int_constant(onnx::ModelProto& m, const std::string& name,
                          const std::vector<int64_t>& values) {
  set_ints(prepend_node(m, "Constant", {}, name), "value_ints", values);
}

// A Constant node holding a float [rows, cols] tensor.
void prepend_float_matrix(onnx::ModelProto& m, const std::string& name, int64_t rows,
                          int64_t cols) {
  onnx::NodeProto* n = prepend_node(m, "Constant", {}, name);
  auto* a = n->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  onnx::TensorProto* t = a->mutable_t();
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(rows);
  t->add_dims(cols);
  for (int64_t i = 0; i < rows * cols; ++i) t->add_float_data(static_cast<float>(i));
}

TEST(OnnxFuzzRegression, ElementCountPastInt64IsAnError) {
  EXPECT_THROW(yono::ir::element_count({kInt64Max, 2}), yono::Error);
  EXPECT_THROW(yono::ir::element_count({1 << 30, 1 << 30, 1 << 30}), yono::Error);
  EXPECT_EQ(yono::ir::element_count({1 << 30, 1 << 30, 4}), int64_t{1} << 62);
}

// Was: signed overflow multiplying it in the pack writer's Softmax lowering.
TEST(OnnxFuzzRegression, GraphInputDimensionFrom2To31IsRefused) {
  onnx::ModelProto m = exported(LayerKind::kConv2d);
  m.mutable_graph()
      ->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(2)
      ->set_dim_value(kInt64Max);
  EXPECT_NE(import_error(m, "input_dim").find("graph input 'x': dimension 2 (9223372036854775807)"),
            std::string::npos)
      << import_error(m, "input_dim");
}

// Was: signed overflow in ir::element_count.
TEST(OnnxFuzzRegression, InitializerDimensionFrom2To31IsRefused) {
  onnx::ModelProto m = exported(LayerKind::kConv2d);
  m.mutable_graph()->mutable_initializer(0)->set_dims(0, int64_t{1} << 40);
  EXPECT_NE(import_error(m, "initializer_dim").find("has a dimension over 2^31"), std::string::npos)
      << import_error(m, "initializer_dim");
}

// Was: signed overflow in shape inference's window arithmetic.
TEST(OnnxFuzzRegression, ConvPadsFrom2To31AreRefused) {
  onnx::ModelProto m = exported(LayerKind::kConv2d);
  set_ints(first_node(m, "Conv"), "pads", {0, kInt64Max, 0, 0});
  EXPECT_NE(import_error(m, "conv_pads").find("must be below 2^31"), std::string::npos)
      << import_error(m, "conv_pads");
}

// Was: std::length_error from taking the weight's dims past its end.
TEST(OnnxFuzzRegression, ConvOnARank1InputIsRefused) {
  onnx::ModelProto m = exported(LayerKind::kDense);
  auto* shape =
      m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  shape->mutable_dim()->RemoveLast();  // [1, 21] -> [1]
  onnx::TensorProto* w = m.mutable_graph()->mutable_initializer(0);
  const int64_t values = w->dims(0) * w->dims(1);
  w->clear_dims();
  w->add_dims(values);
  first_node(m, "Gemm")->set_op_type("Conv");
  EXPECT_NE(import_error(m, "conv_rank1").find("weight rank does not match input rank"),
            std::string::npos)
      << import_error(m, "conv_rank1");
}

// Was: std::length_error (a negative count) or an allocation of 2^40 doubles.
TEST(OnnxFuzzRegression, ConstantOfShapeNegativeOrHugeIsRefused) {
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{-5}, std::vector<int64_t>{1 << 20, 1 << 20}}) {
    onnx::ModelProto m = exported(LayerKind::kConv1d);
    prepend_node(m, "ConstantOfShape", {"shape"}, "filled");
    prepend_int_constant(m, "shape", shape);
    EXPECT_NE(import_error(m, "fill").find("is negative or too large"), std::string::npos)
        << import_error(m, "fill");
  }
}

// Was: the folded offsets indexed the strides with the raw perm entry, so -1
// read before the vector (ASan: heap-buffer-overflow) and a repeated axis
// read past the data.
TEST(OnnxFuzzRegression, TransposePermIsNormalisedAndMustNameEveryAxisOnce) {
  onnx::ModelProto negative = exported(LayerKind::kConv1d);
  set_ints(prepend_node(negative, "Transpose", {"matrix"}, "transposed"), "perm", {-1, 0});
  prepend_float_matrix(negative, "matrix", 2, 3);
  EXPECT_EQ(import_error(negative, "perm_negative"), "(no error)");

  onnx::ModelProto repeated = exported(LayerKind::kConv1d);
  set_ints(prepend_node(repeated, "Transpose", {"matrix"}, "transposed"), "perm", {0, 0});
  prepend_float_matrix(repeated, "matrix", 2, 3);
  EXPECT_NE(import_error(repeated, "perm_repeated").find("perm repeats axis 0"), std::string::npos)
      << import_error(repeated, "perm_repeated");
}

// Was: signed overflow multiplying the dims before and after the axis. The
// graph input's shape is now refused as it is read (more than 2^30 values),
// before Flatten or anything else multiplies its dims; Flatten keeps its own
// guard for shapes that reach it another way.
TEST(OnnxFuzzRegression, FlattenPastInt64IsRefused) {
  onnx::ModelProto m = exported(LayerKind::kDense);
  auto* shape =
      m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  const int64_t big = (int64_t{1} << 31) - 1;
  shape->mutable_dim(1)->set_dim_value(big);
  for (int i = 0; i < 2; ++i) shape->add_dim()->set_dim_value(big);
  const std::string x = m.graph().input(0).name();
  prepend_node(m, "Flatten", {x}, "flat");  // axis 1: 1 x (2^31 - 1)^3
  EXPECT_NE(import_error(m, "flatten").find("more than 2^30 values"), std::string::npos)
      << import_error(m, "flatten");
}

}  // namespace

namespace {

// An opset-13 model with one float graph input "x" of `dims`; the tests
// below add the nodes the fuzzer's input had.
onnx::ModelProto opset13_model_with_input(const std::vector<int64_t>& dims) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* in = m.mutable_graph()->add_input();
  in->set_name("x");
  auto* t = in->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  return m;
}

// Found by the fuzzer (fuzz/corpus/onnx_import/crash-slice-huge-axis): a
// Slice of an input with a 2^28-long axis listed every position of it (GBs,
// a timeout). A gather's position tables are now bounded, so it is refused
// at once, naming the node.
TEST(OnnxFuzzRegression, GatherOfAHugeAxisIsRefusedNotListed) {
  onnx::ModelProto m = opset13_model_with_input({1, int64_t{1} << 28});
  auto* g = m.mutable_graph();
  for (const char* name : {"starts", "ends", "axes"}) {
    auto* c = g->add_initializer();
    c->set_name(name);
    c->set_data_type(onnx::TensorProto::INT64);
    c->add_dims(1);
    c->add_int64_data(std::string(name) == "ends" ? 2 : (std::string(name) == "axes" ? 1 : 0));
  }
  auto* n = g->add_node();
  n->set_op_type("Slice");
  n->set_name("cut");
  for (const char* i : {"x", "starts", "ends", "axes"}) n->add_input(i);
  n->add_output("y");
  g->add_output()->set_name("y");
  const std::string err = import_error(m, "huge_slice");
  EXPECT_NE(err.find("node 'cut' (Slice, opset 13): moving data of shape [1,268435456] needs more"),
            std::string::npos)
      << err;
}

}  // namespace

namespace {

// Found by the fuzzer (fuzz/corpus/onnx_import/crash-add-one-input-after-matmul):
// an Add with one input after a row MatMul read its missing second input
// while looking for a bias to fold (a heap overflow in protobuf).
TEST(OnnxFuzzRegression, OneInputAddAfterARowMatMulIsRefused) {
  onnx::ModelProto m = opset13_model_with_input({1, 3, 4});
  auto* g = m.mutable_graph();
  auto* w = g->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->add_dims(2);
  for (int i = 0; i < 8; ++i) w->add_float_data(0.5f);
  auto* mm = g->add_node();
  mm->set_op_type("MatMul");
  mm->add_input("x");
  mm->add_input("w");
  mm->add_output("mm");
  auto* add = g->add_node();
  add->set_op_type("Add");
  add->set_name("lonely");
  add->add_input("mm");
  add->add_output("y");
  g->add_output()->set_name("y");
  const std::string err = import_error(m, "one_input_add");
  EXPECT_NE(err.find("node 'lonely' (Add, opset 13): missing input 1"), std::string::npos) << err;
}

}  // namespace

namespace {

// Found by the fuzzer (fuzz/corpus/onnx_import/crash-resize-huge-scale): a
// Resize scale of 1e24 converted the output size to int64 out of range
// (undefined behaviour). Sizes are now checked in double first.
TEST(OnnxFuzzRegression, ResizeScalePastAnyOutputSizeIsRefused) {
  onnx::ModelProto m = opset13_model_with_input({1, 1, 2, 2});
  auto* g = m.mutable_graph();
  auto* s = g->add_initializer();
  s->set_name("scales");
  s->set_data_type(onnx::TensorProto::FLOAT);
  s->add_dims(4);
  for (float v : {1.0f, 1.0f, 2.0f, 1e24f}) s->add_float_data(v);
  auto* r = g->add_node();
  r->set_op_type("Resize");
  r->set_name("up");
  for (const char* i : {"x", "", "scales"}) r->add_input(i);
  r->add_output("y");
  auto* mode = r->add_attribute();
  mode->set_name("mode");
  mode->set_type(onnx::AttributeProto::STRING);
  mode->set_s("nearest");
  g->add_output()->set_name("y");
  const std::string err = import_error(m, "resize_huge");
  EXPECT_NE(err.find("node 'up' (Resize, opset 13): scale"), std::string::npos) << err;
  EXPECT_NE(err.find("gives an unsupported size"), std::string::npos) << err;
}

}  // namespace
