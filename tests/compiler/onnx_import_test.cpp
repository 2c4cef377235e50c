// ONNX -> IR import, driven by small models written with the protobuf API.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "yono/compiler/error.h"
#include "yono/compiler/ir/axis_gather.h"
#include "yono/compiler/onnx/import.h"

namespace {

using yono::ir::Dims;

class Model {
 public:
  explicit Model(int opset = 13) {
    m_.set_ir_version(8);
    auto* o = m_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    g_ = m_.mutable_graph();
    g_->set_name("test");
  }

  void input(const std::string& name, const std::vector<int64_t>& dims,
             const std::string& batch_param = "") {
    auto* shape = value(g_->add_input(), name)->mutable_shape();
    for (size_t i = 0; i < dims.size(); ++i) {
      auto* d = shape->add_dim();
      if (i == 0 && !batch_param.empty()) {
        d->set_dim_param(batch_param);
      } else {
        d->set_dim_value(dims[i]);
      }
    }
  }
  void output(const std::string& name) { value(g_->add_output(), name); }

  void floats(const std::string& name, const Dims& dims, const std::vector<float>& v) {
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float x : v) t->add_float_data(x);
  }
  void ints(const std::string& name, const Dims& dims, const std::vector<int64_t>& v) {
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    for (int64_t d : dims) t->add_dims(d);
    // raw_data, as PyTorch writes it
    t->set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * 8));
  }

  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& in,
                        const std::string& out, const std::string& name = "") {
    auto* n = g_->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? out + "_node" : name);
    for (const auto& i : in) n->add_input(i);
    n->add_output(out);
    return n;
  }

  std::string save(const std::string& file) const {
    // The pid keeps two suites running on one machine out of each other's files.
    std::string path =
        testing::TempDir() + "/yono_onnx_" + std::to_string(::getpid()) + "_" + file + ".onnx";
    std::ofstream f(path, std::ios::binary);
    m_.SerializeToOstream(&f);
    return path;
  }
  yono::ir::Graph import(const std::string& file) const {
    return yono::import_onnx(save(file), file);
  }

 private:
  onnx::TypeProto_Tensor* value(onnx::ValueInfoProto* v, const std::string& name) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    return t;
  }

  onnx::ModelProto m_;
  onnx::GraphProto* g_;
};

void set_ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
void set_int(onnx::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void set_float(onnx::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void set_string(onnx::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

std::string import_error(const Model& m, const std::string& file) {
  try {
    m.import(file);
  } catch (const yono::Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<float> ramp(size_t n, float scale, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = offset + scale * static_cast<float>((i * 7) % 11);
  return v;
}

const yono::ir::Tensor& in_tensor(const yono::ir::Graph& g, const yono::ir::Op& op, size_t i) {
  return g.tensors[static_cast<size_t>(op.inputs.at(i))];
}
const Dims& out_dims(const yono::ir::Graph& g, const yono::ir::Op& op) {
  return g.tensors[static_cast<size_t>(op.outputs[0])].dims;
}

TEST(OnnxImport, UnsupportedOpNamesNodeOpTypeAndOpset) {
  Model m(13);
  m.input("x", {1, 4});
  m.node("Relu", {"x"}, "r");
  m.node("Einsum", {"r", "r"}, "y", "my_einsum");
  m.output("y");
  std::string e = import_error(m, "einsum");
  EXPECT_NE(e.find("_einsum.onnx: "), std::string::npos) << e;
  EXPECT_NE(e.find("node 'my_einsum' (Einsum, opset 13): unsupported op"), std::string::npos) << e;
}

TEST(OnnxImport, OpsetOutsideElevenToSeventeenIsRejected) {
  for (int opset : {10, 18}) {
    Model m(opset);
    m.input("x", {1, 4});
    m.node("Relu", {"x"}, "y");
    m.output("y");
    std::string e = import_error(m, "opset" + std::to_string(opset));
    EXPECT_NE(e.find("opset " + std::to_string(opset)), std::string::npos) << e;
  }
  for (int opset : {11, 17}) {
    Model m(opset);
    m.input("x", {1, 4});
    m.node("Relu", {"x"}, "y");
    m.output("y");
    EXPECT_NO_THROW(m.import("opset" + std::to_string(opset)));
  }
}

TEST(OnnxImport, MissingFileIsNamed) {
  std::string path = testing::TempDir() + "/no_such_model.onnx";
  try {
    yono::import_onnx(path, "m");
    FAIL() << "no error";
  } catch (const yono::Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(OnnxImport, TruncatedAndGarbageFilesGiveClearErrors) {
  Model m;
  m.input("x", {1, 3, 8, 8});
  m.floats("w", {4, 3, 3, 3}, ramp(108, 0.1f, -0.5f));
  m.node("Conv", {"x", "w"}, "y");
  m.output("y");
  std::string good = m.save("to_truncate");
  std::ifstream in(good, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);

  std::string truncated =
      testing::TempDir() + "/yono_truncated_" + std::to_string(::getpid()) + ".onnx";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string garbage =
      testing::TempDir() + "/yono_garbage_" + std::to_string(::getpid()) + ".onnx";
  std::ofstream(garbage, std::ios::binary) << std::string(64, '\xff') << "not a model";
  for (const std::string& path : {truncated, garbage}) {
    try {
      yono::import_onnx(path, "m");
      FAIL() << "no error for " << path;
    } catch (const yono::Error& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find(path), std::string::npos) << msg;
      EXPECT_NE(msg.find("not a valid ONNX model"), std::string::npos) << msg;
    }
  }
}

// What torch.onnx emits for x.view(x.size(0), -1).
TEST(OnnxImport, ShapeGatherUnsqueezeConcatReshapeChainFolds) {
  Model m(13);
  m.input("x", {1, 2, 3, 3});
  m.ints("zero", {}, {0});
  m.ints("axes0", {1}, {0});
  m.ints("minus1", {1}, {-1});
  m.floats("w", {5, 18}, ramp(90, 0.01f, -0.05f));
  m.node("Relu", {"x"}, "r");
  m.node("Shape", {"r"}, "shape");
  set_int(m.node("Gather", {"shape", "zero"}, "batch"), "axis", 0);
  m.node("Unsqueeze", {"batch", "axes0"}, "batch1");
  set_int(m.node("Concat", {"batch1", "minus1"}, "target"), "axis", 0);
  m.node("Reshape", {"r", "target"}, "flat");
  set_int(m.node("Gemm", {"flat", "w"}, "y"), "transB", 1);
  m.output("y");
  yono::ir::Graph g = m.import("flatten_chain");
  ASSERT_EQ(g.ops.size(), 3u);
  EXPECT_STREQ(op_type_name(g.ops[0]), "Unary");
  EXPECT_STREQ(op_type_name(g.ops[1]), "Reshape");
  EXPECT_EQ(std::get<yono::ir::ReshapeAttrs>(g.ops[1].attrs).dims, (Dims{1, 18}));
  EXPECT_STREQ(op_type_name(g.ops[2]), "Dense");
  EXPECT_EQ(out_dims(g, g.ops[2]), (Dims{1, 5}));
}

TEST(OnnxImport, AutoPadSameSplitsOddPaddingByMode) {
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER"}) {
    Model m;
    m.input("x", {1, 1, 6, 7});
    m.floats("w", {2, 1, 3, 3}, ramp(18, 0.1f, 0.f));
    auto* conv = m.node("Conv", {"x", "w"}, "y");
    set_string(conv, "auto_pad", mode);
    set_ints(conv, "strides", {2, 2});
    m.output("y");
    yono::ir::Graph g = m.import(std::string("autopad_") + mode);
    ASSERT_EQ(g.ops.size(), 1u);
    const auto& a = std::get<yono::ir::ConvAttrs>(g.ops[0].attrs);
    // H: out ceil(6/2)=3 needs (3-1)*2+3-6 = 1 pad; W: out 4 needs 2.
    bool upper = std::string(mode) == "SAME_UPPER";
    EXPECT_EQ(a.pad_top, upper ? 0 : 1);
    EXPECT_EQ(a.pad_bottom, upper ? 1 : 0);
    EXPECT_EQ(a.pad_left, 1);
    EXPECT_EQ(a.pad_right, 1);
    EXPECT_EQ(out_dims(g, g.ops[0]), (Dims{1, 2, 3, 4}));
  }
}

TEST(OnnxImport, CeilModePoolShapesMatchPyTorch) {
  // {input, kernel, stride, pad, PyTorch ceil_mode output, floor output},
  // from torch.nn.functional.max_pool1d; (5,2,2,1) and (8,2,3,1) need the
  // "last window must start inside the input" correction.
  struct Case {
    int64_t in, k, s, p, ceil_out, floor_out;
  };
  for (Case c : {Case{12, 3, 2, 1, 7, 6}, Case{7, 2, 2, 0, 4, 3}, Case{5, 2, 2, 1, 3, 3},
                 Case{6, 3, 2, 1, 4, 3}, Case{10, 3, 3, 1, 4, 4}, Case{8, 2, 3, 1, 3, 3}}) {
    for (int ceil : {0, 1}) {
      Model m;
      m.input("x", {1, 2, c.in});
      auto* pool = m.node("MaxPool", {"x"}, "y");
      set_ints(pool, "kernel_shape", {c.k});
      set_ints(pool, "strides", {c.s});
      set_ints(pool, "pads", {c.p, c.p});
      set_int(pool, "ceil_mode", ceil);
      m.output("y");
      yono::ir::Graph g = m.import("ceil");
      EXPECT_EQ(out_dims(g, g.ops[0]), (Dims{1, 2, ceil ? c.ceil_out : c.floor_out}))
          << "in " << c.in << " k " << c.k << " s " << c.s << " p " << c.p << " ceil " << ceil;
    }
  }
}

TEST(OnnxImport, GemmWithoutTransBTransposesWeightAndScales) {
  Model m;
  m.input("x", {1, 3});
  std::vector<float> b = {1, 2, 3, 4, 5, 6};  // [K=3][N=2]
  m.floats("b", {3, 2}, b);
  m.floats("c", {2}, {10, 20});
  auto* gemm = m.node("Gemm", {"x", "b", "c"}, "y");
  set_float(gemm, "alpha", 2.f);
  set_float(gemm, "beta", 0.5f);
  m.output("y");
  yono::ir::Graph g = m.import("gemm_transb0");
  ASSERT_EQ(g.ops.size(), 1u);
  const auto& w = in_tensor(g, g.ops[0], 1);
  ASSERT_EQ(w.dims, (Dims{2, 3}));
  for (int o = 0; o < 2; ++o)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(w.data[o * 3 + k], 2.f * b[k * 2 + o]);
  EXPECT_EQ(in_tensor(g, g.ops[0], 2).data, (std::vector<float>{5, 10}));
}

// Naive NCHW conv, stride 1, symmetric padding, in double.
std::vector<double> conv_ref(const std::vector<float>& x, int c, int h, int w,
                             const std::vector<float>& wt, const std::vector<double>& bias, int oc,
                             int k, int pad) {
  int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
  std::vector<double> y(static_cast<size_t>(oc * oh * ow));
  for (int o = 0; o < oc; ++o)
    for (int i = 0; i < oh; ++i)
      for (int j = 0; j < ow; ++j) {
        double s = bias[o];
        for (int ci = 0; ci < c; ++ci)
          for (int u = 0; u < k; ++u)
            for (int v = 0; v < k; ++v) {
              int yy = i + u - pad, xx = j + v - pad;
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
              s += double(x[(ci * h + yy) * w + xx]) * wt[((o * c + ci) * k + u) * k + v];
            }
        y[(o * oh + i) * ow + j] = s;
      }
  return y;
}

TEST(OnnxImport, BatchNormAfterConvFoldsToTheSameResult) {
  const int c = 2, oc = 3, k = 3, h = 5, w = 4;
  std::vector<float> wt = ramp(oc * c * k * k, 0.13f, -0.6f), bias = {0.5f, -1.f, 0.25f};
  std::vector<float> gamma = {1.5f, -0.7f, 0.9f}, beta = {0.1f, 0.2f, -0.3f},
                     mean = {0.4f, -0.2f, 1.1f}, var = {0.05f, 2.f, 0.0001f};
  const float eps = 1e-3f;  // large enough to matter for var = 0.0001
  Model m;
  m.input("x", {1, c, h, w});
  m.floats("w", {oc, c, k, k}, wt);
  m.floats("b", {oc}, bias);
  m.floats("gamma", {oc}, gamma);
  m.floats("beta", {oc}, beta);
  m.floats("mean", {oc}, mean);
  m.floats("var", {oc}, var);
  set_ints(m.node("Conv", {"x", "w", "b"}, "conv"), "pads", {1, 1, 1, 1});
  set_float(m.node("BatchNormalization", {"conv", "gamma", "beta", "mean", "var"}, "y"), "epsilon",
            eps);
  m.output("y");
  yono::ir::Graph g = m.import("conv_bn");
  ASSERT_EQ(g.ops.size(), 1u);
  ASSERT_STREQ(op_type_name(g.ops[0]), "Conv");
  EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[0])].name, "y");

  std::vector<float> x = ramp(c * h * w, 0.37f, -1.f);
  std::vector<double> unfused = conv_ref(x, c, h, w, wt, {bias.begin(), bias.end()}, oc, k, 1);
  size_t per = unfused.size() / oc;
  for (size_t i = 0; i < unfused.size(); ++i) {
    size_t o = i / per;
    unfused[i] = (unfused[i] - mean[o]) / std::sqrt(double(var[o]) + eps) * gamma[o] + beta[o];
  }
  const auto& fw = in_tensor(g, g.ops[0], 1);
  const auto& fb = in_tensor(g, g.ops[0], 2);
  std::vector<double> folded =
      conv_ref(x, c, h, w, fw.data, {fb.data.begin(), fb.data.end()}, oc, k, 1);
  ASSERT_EQ(folded.size(), unfused.size());
  for (size_t i = 0; i < folded.size(); ++i)
    EXPECT_NEAR(folded[i], unfused[i], 1e-4 * (1 + std::fabs(unfused[i]))) << i;
}

TEST(OnnxImport, BatchNormWithoutConvBecomesChannelAffine) {
  Model m(17);
  m.input("x", {1, 2, 6});
  for (const char* p : {"g", "b", "m", "v"}) m.floats(p, {2}, {1.f, 2.f});
  set_ints(m.node("MaxPool", {"x"}, "p"), "kernel_shape", {2});
  m.node("BatchNormalization", {"p", "g", "b", "m", "v"}, "y");
  m.output("y");
  yono::ir::Graph g = m.import("bn_affine");
  ASSERT_EQ(g.ops.size(), 2u);
  ASSERT_STREQ(op_type_name(g.ops[1]), "ChannelAffine");
  // scale = g / sqrt(v + 1e-5), shift = b - m * scale
  double s1 = 2.0 / std::sqrt(2.0 + 1e-5);
  EXPECT_NEAR(in_tensor(g, g.ops[1], 1).data[1], s1, 1e-6);
  EXPECT_NEAR(in_tensor(g, g.ops[1], 2).data[1], 2.0 - 2.0 * s1, 1e-6);
}

TEST(OnnxImport, Relu6ClipFusesIntoConv) {
  Model m(13);
  m.input("x", {1, 1, 4, 4});
  m.floats("w", {2, 1, 1, 1}, {1.f, -1.f});
  m.node("Conv", {"x", "w"}, "conv");
  auto* lo = m.node("Constant", {}, "lo");
  auto* hi = m.node("Constant", {}, "hi");
  for (auto [node, v] : {std::pair{lo, 0.f}, std::pair{hi, 6.f}}) {
    auto* a = node->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    a->mutable_t()->add_float_data(v);
  }
  m.node("Clip", {"conv", "lo", "hi"}, "y");
  m.output("y");
  yono::ir::Graph g = m.import("relu6");
  ASSERT_EQ(g.ops.size(), 1u);
  const auto& act = std::get<yono::ir::ConvAttrs>(g.ops[0].attrs).act;
  EXPECT_EQ(act.min, 0.f);
  EXPECT_EQ(act.max, 6.f);
}

TEST(OnnxImport, MatMulPlusConstantAddBecomesDenseWithBias) {
  Model m;
  m.input("x", {1, 2});
  m.floats("w", {2, 3}, {1, 2, 3, 4, 5, 6});
  m.floats("b", {3}, {0.5f, 0.25f, -1.f});
  m.node("MatMul", {"x", "w"}, "mm");
  m.node("Add", {"mm", "b"}, "y");
  m.output("y");
  yono::ir::Graph g = m.import("matmul_add");
  ASSERT_EQ(g.ops.size(), 1u);
  ASSERT_STREQ(op_type_name(g.ops[0]), "Dense");
  // w[out][in] is the transpose of the [in][out] MatMul weight
  EXPECT_EQ(in_tensor(g, g.ops[0], 1).data, (std::vector<float>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(in_tensor(g, g.ops[0], 2).data, (std::vector<float>{0.5f, 0.25f, -1.f}));
}

TEST(OnnxImport, UnsqueezeAxesAreAnAttributeBeforeOpset13AndAnInputAfter) {
  Model old_style(11);
  old_style.input("x", {1, 6});
  set_ints(old_style.node("Unsqueeze", {"x"}, "y"), "axes", {2, 3});
  old_style.output("y");
  yono::ir::Graph g = old_style.import("unsqueeze11");
  EXPECT_EQ(out_dims(g, g.ops[0]), (Dims{1, 6, 1, 1}));

  Model new_style(13);
  new_style.input("x", {1, 6});
  new_style.ints("axes", {2}, {-1, 2});
  new_style.node("Unsqueeze", {"x", "axes"}, "y");
  new_style.output("y");
  g = new_style.import("unsqueeze13");
  EXPECT_EQ(out_dims(g, g.ops[0]), (Dims{1, 6, 1, 1}));
}

TEST(OnnxImport, DynamicBatchIsOneButOtherDynamicDimsAreRejected) {
  Model m;
  m.input("x", {1, 4}, "N");
  m.node("Relu", {"x"}, "y");
  m.output("y");
  yono::ir::Graph g = m.import("dynbatch");
  EXPECT_EQ(g.tensors[static_cast<size_t>(g.inputs[0])].dims, (Dims{1, 4}));

  Model bad;
  bad.input("x", {1, 0});
  bad.node("Relu", {"x"}, "y");
  bad.output("y");
  std::string e = import_error(bad, "dyn_other");
  EXPECT_NE(e.find("graph input 'x'"), std::string::npos) << e;
  EXPECT_NE(e.find("dynamic"), std::string::npos) << e;
}

TEST(OnnxImport, LegacySoftmaxCoercesToTwoDimensions) {
  Model m(11);
  m.input("x", {1, 2, 3});
  set_int(m.node("Softmax", {"x"}, "y"), "axis", 1);
  m.output("y");
  yono::ir::Graph g = m.import("softmax11");
  // softmax over 6 values, not over each of 3 pairs
  ASSERT_EQ(g.ops.size(), 3u);
  EXPECT_EQ(std::get<yono::ir::ReshapeAttrs>(g.ops[0].attrs).dims, (Dims{1, 6}));
  EXPECT_EQ(std::get<yono::ir::SoftmaxAttrs>(g.ops[1].attrs).axis, 1);
  EXPECT_EQ(out_dims(g, g.ops[2]), (Dims{1, 2, 3}));
}

TEST(OnnxImport, PaddingTheChannelAxisIsRejectedNamingTheNode) {
  Model m(13);
  m.input("x", {1, 2, 4, 4});
  m.ints("pads", {8}, {0, 1, 0, 0, 0, 0, 0, 0});
  m.node("Pad", {"x", "pads"}, "y", "pad_c");
  m.output("y");
  std::string e = import_error(m, "pad_channels");
  EXPECT_NE(e.find("node 'pad_c' (Pad, opset 13)"), std::string::npos) << e;
  EXPECT_NE(e.find("spatial"), std::string::npos) << e;
}

TEST(OnnxImport, BadAttributeNamesNodeAndProblem) {
  Model m(13);
  m.input("x", {1, 4});
  m.floats("w", {4, 2}, ramp(8, 1.f, 0.f));
  set_int(m.node("Gemm", {"x", "w"}, "y", "fc"), "transA", 1);
  m.output("y");
  std::string e = import_error(m, "transA");
  EXPECT_NE(e.find("node 'fc' (Gemm, opset 13): transA=1 is not supported"), std::string::npos)
      << e;
}

TEST(OnnxImport, NonFloatInitializerIsRejected) {
  Model m;
  m.input("x", {1, 2});
  auto* t = m.node("Relu", {"x"}, "r");
  (void)t;
  m.floats("unused", {1}, {1.f});
  m.output("r");
  EXPECT_NO_THROW(m.import("unused_init"));

  Model bad;
  bad.input("x", {1, 2});
  bad.floats("w", {2, 2}, {1, 2, 3, 4});
  bad.node("MatMul", {"x", "w"}, "y");
  bad.output("y");
  std::string path = bad.save("int32_weights");
  onnx::ModelProto proto;
  {
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(proto.ParseFromIstream(&in));
  }
  auto* w = proto.mutable_graph()->mutable_initializer(0);
  w->clear_float_data();
  w->set_data_type(onnx::TensorProto::INT32);
  for (int i = 0; i < 4; ++i) w->add_int32_data(i);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    proto.SerializeToOstream(&out);
  }
  try {
    yono::import_onnx(path, "m");
    FAIL() << "no error";
  } catch (const yono::Error& e) {
    EXPECT_NE(std::string(e.what()).find("INT32"), std::string::npos) << e.what();
  }
}

TEST(OnnxImport, IdentityAndDropoutAreAliasedAndOutputKeepsItsName) {
  Model m;
  m.input("x", {1, 3});
  m.node("Relu", {"x"}, "r");
  m.node("Dropout", {"r"}, "d");
  m.node("Identity", {"d"}, "out");
  m.output("out");
  yono::ir::Graph g = m.import("identity");
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[0])].name, "out");
}

// Each structural rule alone: the message names the file and the tensor.
TEST(OnnxImport, EveryTensorHasOneProducer) {
  auto dense = [](Model& m) {
    m.input("x", {1, 2});
    m.floats("w", {2, 3}, {1, 2, 3, 4, 5, 6});
  };
  Model two_writers;
  dense(two_writers);
  two_writers.node("MatMul", {"x", "w"}, "y", "first");
  two_writers.node("Relu", {"x"}, "y", "second");
  two_writers.output("y");
  std::string e = import_error(two_writers, "two_writers");
  EXPECT_NE(e.find("two_writers.onnx: node 'second' (Relu) writes 'y', already written by node "
                   "'first' (MatMul)"),
            std::string::npos)
      << e;

  Model overwrites_input;
  dense(overwrites_input);
  overwrites_input.node("MatMul", {"x", "w"}, "y");
  overwrites_input.node("Relu", {"y"}, "x", "r");
  overwrites_input.output("y");
  e = import_error(overwrites_input, "overwrites_input");
  EXPECT_NE(e.find("node 'r' (Relu) writes 'x', already written by the graph input"),
            std::string::npos)
      << e;

  Model overwrites_weight;
  dense(overwrites_weight);
  overwrites_weight.node("Relu", {"x"}, "w", "r");
  overwrites_weight.node("MatMul", {"x", "w"}, "y");
  overwrites_weight.output("y");
  e = import_error(overwrites_weight, "overwrites_weight");
  EXPECT_NE(e.find("writes 'w', already written by an initializer"), std::string::npos) << e;

  Model weight_twice;
  dense(weight_twice);
  weight_twice.floats("w", {2, 3}, {6, 5, 4, 3, 2, 1});
  weight_twice.node("MatMul", {"x", "w"}, "y");
  weight_twice.output("y");
  e = import_error(weight_twice, "weight_twice");
  EXPECT_NE(e.find("weight_twice.onnx: initializer 'w' is defined twice"), std::string::npos) << e;

  Model output_twice;
  dense(output_twice);
  output_twice.node("MatMul", {"x", "w"}, "y");
  output_twice.output("y");
  output_twice.output("y");
  e = import_error(output_twice, "output_twice");
  EXPECT_NE(e.find("output_twice.onnx: graph output 'y' is listed twice"), std::string::npos) << e;

  Model input_twice;
  dense(input_twice);
  input_twice.input("x", {1, 2});
  input_twice.node("MatMul", {"x", "w"}, "y");
  input_twice.output("y");
  e = import_error(input_twice, "input_twice");
  EXPECT_NE(e.find("graph input 'x' is listed twice"), std::string::npos) << e;

  // An initializer also listed as a graph input (older exporters) is one tensor, not two.
  Model listed_as_input;
  dense(listed_as_input);
  listed_as_input.input("w", {2, 3});
  listed_as_input.node("MatMul", {"x", "w"}, "y");
  listed_as_input.output("y");
  EXPECT_NO_THROW(listed_as_input.import("listed_as_input"));
}

TEST(OnnxImport, NonFiniteWeightsAreRefusedUnlessAllowed) {
  for (const float bad : {NAN, INFINITY, -INFINITY}) {
    Model m;
    m.input("x", {1, 2});
    m.floats("w", {2, 3}, {1, 2, 3, 4, bad, 6});
    m.node("MatMul", {"x", "w"}, "y");
    m.output("y");
    const std::string e = import_error(m, "nonfinite");
    EXPECT_NE(e.find("nonfinite.onnx: initializer 'w' holds 1 non-finite value of 6"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("at index 4"), std::string::npos) << e;
    EXPECT_NE(e.find("--allow-nonfinite"), std::string::npos) << e;
    yono::OnnxImportOptions allow;
    allow.allow_nonfinite = true;
    const yono::ir::Graph g = yono::import_onnx(m.save("nonfinite"), "nonfinite", allow);
    const auto& w = in_tensor(g, g.ops[0], 1).data;  // transposed: w[out][in]
    EXPECT_EQ(std::count_if(w.begin(), w.end(), [](float v) { return !std::isfinite(v); }), 1);
  }
}

TEST(OnnxImport, InputShapesPastWhatAPackAddressesAreRefusedBeforeAllocation) {
  Model huge;
  huge.input("x", {1, 4000000000});
  huge.node("Relu", {"x"}, "y");
  huge.output("y");
  std::string e = import_error(huge, "huge");
  EXPECT_NE(e.find("huge.onnx: graph input 'x': dimension 1 (4000000000)"), std::string::npos) << e;

  // Every dim alone is small; their product, 2^64, wraps int64 to 0, so the
  // check must stop at the dim that passes 2^30, before multiplying.
  Model wraps;
  wraps.input("x", {1, int64_t{1} << 21, int64_t{1} << 21, int64_t{1} << 22});
  wraps.node("Relu", {"x"}, "y");
  wraps.output("y");
  e = import_error(wraps, "wraps");
  EXPECT_NE(e.find("wraps.onnx: graph input 'x': dimension 2 (2097152)"), std::string::npos) << e;
  EXPECT_NE(e.find("more than 2^30 values"), std::string::npos) << e;
}

TEST(OnnxImport, ExportedFixturesImport) {
  for (const char* name : {"lenet5", "mlp_softmax", "ds_cnn_kws", "resnet_small", "sensor_1d",
                           "relu6_hardswish", "concat_net"}) {
    std::string path = std::string(YONO_FIXTURES_DIR) + "/" + name + ".onnx";
    ASSERT_TRUE(std::ifstream(path).good()) << path << " is missing (scripts/make_fixtures.py)";
    EXPECT_NO_THROW(yono::import_onnx(path, name)) << path;
  }
}

}  // namespace

namespace {

// ---- ONNX breadth (issue 15): data movement, reductions, explain, docs ----

TEST(OnnxBreadth, TransposeOfTheGraphInputIsFoldedIntoIt) {
  for (bool fold : {true, false}) {
    Model m;
    m.input("x", {1, 5, 4, 3});
    set_ints(m.node("Transpose", {"x"}, "t"), "perm", {0, 3, 1, 2});
    m.node("Relu", {"t"}, "y");
    m.output("y");
    yono::OnnxImportOptions o;
    o.fold_input_transposes = fold;
    const yono::ir::Graph g = yono::import_onnx(m.save("fold_input"), "f", o);
    EXPECT_EQ(g.tensors[static_cast<size_t>(g.inputs[0])].dims,
              fold ? Dims({1, 3, 5, 4}) : Dims({1, 5, 4, 3}));
    ASSERT_EQ(g.ops.size(), fold ? 1u : 2u);
    if (!fold) {
      EXPECT_STREQ(yono::ir::op_type_name(g.ops[0]), "AxisGather");
    }
  }
}

TEST(OnnxBreadth, TransposeOfASharedInputIsNotFolded) {
  Model m;
  m.input("x", {1, 2, 3});
  set_ints(m.node("Transpose", {"x"}, "t"), "perm", {0, 2, 1});
  m.node("Relu", {"x"}, "r");
  m.output("t");
  m.output("r");
  const yono::ir::Graph g = m.import("shared_input");
  EXPECT_EQ(g.tensors[static_cast<size_t>(g.inputs[0])].dims, Dims({1, 2, 3}));
  EXPECT_STREQ(yono::ir::op_type_name(g.ops[0]), "AxisGather");
}

TEST(OnnxBreadth, GatherOfAScalarIndexDropsTheAxis) {
  Model m;
  m.input("x", {1, 4, 6});
  m.node("Relu", {"x"}, "r");
  m.ints("i", {}, {-1});
  set_int(m.node("Gather", {"r", "i"}, "y"), "axis", 2);
  m.output("y");
  const yono::ir::Graph g = m.import("gather_last");
  const auto& a = std::get<yono::ir::AxisGatherAttrs>(g.ops.back().attrs);
  EXPECT_EQ(a.dims, Dims({1, 4}));
  EXPECT_EQ(yono::ir::flat_indices(a), std::vector<int64_t>({5, 11, 17, 23}));
}

TEST(OnnxBreadth, SplitIntoEqualPartsAndGivenSizes) {
  for (bool sized : {false, true}) {
    Model m;
    m.input("x", {1, 6, 2});
    m.node("Relu", {"x"}, "r");
    std::vector<std::string> in = {"r"};
    if (sized) {
      m.ints("s", {2}, {2, 4});
      in.push_back("s");
    }
    auto* n = m.node("Split", in, "a");
    n->add_output("b");
    set_int(n, "axis", 1);
    m.output("a");
    m.output("b");
    const yono::ir::Graph g = m.import(sized ? "split_sized" : "split_equal");
    ASSERT_EQ(g.outputs.size(), 2u);
    EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[0])].dims, Dims({1, sized ? 2 : 3, 2}));
    EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[1])].dims, Dims({1, sized ? 4 : 3, 2}));
  }
}

TEST(OnnxBreadth, ReduceOverNonSpatialAxesKeepsOrDropsThem) {
  for (int keep : {0, 1}) {
    Model m;
    m.input("x", {1, 3, 4, 5});
    m.ints("axes", {2}, {1, 3});
    set_int(m.node("ReduceSum", {"x", "axes"}, "y"), "keepdims", keep);
    m.output("y");
    const yono::ir::Graph g = m.import(keep ? "reduce_keep" : "reduce_drop");
    EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[0])].dims,
              keep ? Dims({1, 1, 4, 1}) : Dims({1, 4}));
  }
}

TEST(OnnxBreadth, ResizeNearestPositionsFollowTheCoordinateMode) {
  // 4 -> 6 along W with align_corners: positions round(i * 3 / 5).
  Model m(13);
  m.input("x", {1, 1, 1, 4});
  m.node("Relu", {"x"}, "r");
  m.ints("sizes", {4}, {1, 1, 1, 6});
  auto* n = m.node("Resize", {"r", "", "", "sizes"}, "y");
  set_string(n, "mode", "nearest");
  set_string(n, "coordinate_transformation_mode", "align_corners");
  set_string(n, "nearest_mode", "round_prefer_floor");
  m.output("y");
  const yono::ir::Graph g = m.import("resize_align");
  const auto& a = std::get<yono::ir::AxisGatherAttrs>(g.ops.back().attrs);
  // i * 0.6 = 0, 0.6, 1.2, 1.8, 2.4, 3.0 -> 0, 1, 1, 2, 2, 3
  EXPECT_EQ(yono::ir::flat_indices(a), std::vector<int64_t>({0, 1, 1, 2, 2, 3}));
}

TEST(OnnxBreadth, ReflectAndEdgePadsPickMirroredAndClampedPositions) {
  for (const char* mode : {"reflect", "edge"}) {
    Model m(13);
    m.input("x", {1, 1, 4});
    m.node("Relu", {"x"}, "r");
    m.ints("pads", {6}, {0, 0, 2, 0, 0, 1});
    set_string(m.node("Pad", {"r", "pads"}, "y"), "mode", mode);
    m.output("y");
    const yono::ir::Graph g = m.import(std::string("pad_") + mode);
    const auto& a = std::get<yono::ir::AxisGatherAttrs>(g.ops.back().attrs);
    EXPECT_EQ(yono::ir::flat_indices(a), std::string(mode) == "reflect"
                                             ? std::vector<int64_t>({2, 1, 0, 1, 2, 3, 2})
                                             : std::vector<int64_t>({0, 0, 0, 1, 2, 3, 3}));
  }
}

TEST(OnnxBreadth, ArithmeticBroadcastsBeyondPerChannel) {
  Model m;
  m.input("x", {1, 2, 3});
  m.input("row", {1, 1, 3});
  m.node("Div", {"x", "row"}, "y");  // [1,1,3] against [1,2,3]: expanded first
  m.output("y");
  const yono::ir::Graph g = m.import("div_rows");
  EXPECT_STREQ(yono::ir::op_type_name(g.ops[0]), "AxisGather");
  EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[0])].dims, Dims({1, 2, 3}));
}

TEST(OnnxBreadth, ExplainListsEveryRefusedNodeNotOnlyTheFirst) {
  Model m;
  m.input("x", {1, 4});
  m.node("Erf", {"x"}, "a", "first");
  m.node("Relu", {"a"}, "b");
  m.node("Cos", {"b"}, "c", "second");
  m.output("c");
  const yono::ImportExplanation e = yono::explain_onnx_import(m.save("explain_two"));
  ASSERT_EQ(e.refusals.size(), 2u);
  EXPECT_NE(e.refusals[0].find("'first' (Erf, opset 13): unsupported op"), std::string::npos)
      << e.refusals[0];
  EXPECT_NE(e.refusals[1].find("'second' (Cos"), std::string::npos) << e.refusals[1];
}

TEST(OnnxBreadth, ExplainNamesTheFoldsOfAnAcceptedModel) {
  Model m;
  m.input("x", {1, 4, 4, 3});
  set_ints(m.node("Transpose", {"x"}, "t"), "perm", {0, 3, 1, 2});
  m.node("Relu", {"t"}, "y");
  m.output("y");
  const yono::ImportExplanation e = yono::explain_onnx_import(m.save("explain_ok"));
  EXPECT_TRUE(e.refusals.empty());
  ASSERT_FALSE(e.notes.empty());
  EXPECT_NE(e.notes[0].find("folded into it; the pack takes [1,3,4,4]"), std::string::npos)
      << e.notes[0];
}

TEST(OnnxBreadth, DocsListTheImportersOwnTable) {
  const std::string path = std::string(YONO_FIXTURES_DIR) + "/../../docs/onnx-ops.md";
  std::ifstream f(path);
  ASSERT_TRUE(f.good()) << path;
  const std::string doc((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(doc, yono::supported_ops_markdown())
      << "docs/onnx-ops.md is stale: regenerate with `yono import --list-ops > docs/onnx-ops.md`";
}

}  // namespace

namespace {

// A Linear on rows (MatMul + Add, as PyTorch exports it): the bias joins the
// row conv instead of a [rows, N] constant; not when the MatMul is read twice.
TEST(OnnxBreadth, RowMatMulBiasJoinsItsConvUnlessShared) {
  for (bool shared : {false, true}) {
    Model m;
    m.input("x", {1, 3, 4});
    m.floats("w", {4, 5}, std::vector<float>(20, 0.5f));
    m.floats("b", {5}, {1, 2, 3, 4, 5});
    m.node("MatMul", {"x", "w"}, "mm");
    m.node("Add", {"mm", "b"}, "y");
    m.output("y");
    if (shared) m.output("mm");
    const yono::ir::Graph g = m.import(shared ? "matmul_bias_shared" : "matmul_bias");
    bool has_binary = false;
    size_t conv_inputs = 0;
    for (const auto& op : g.ops) {
      has_binary |= std::holds_alternative<yono::ir::BinaryAttrs>(op.attrs);
      if (std::holds_alternative<yono::ir::ConvAttrs>(op.attrs)) conv_inputs = op.inputs.size();
    }
    EXPECT_EQ(has_binary, shared);
    EXPECT_EQ(conv_inputs, shared ? 2u : 3u);
    EXPECT_EQ(g.tensors[static_cast<size_t>(g.outputs[0])].dims, Dims({1, 3, 5}));
  }
}

}  // namespace
