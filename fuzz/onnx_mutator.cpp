#include "onnx_mutator.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace yono::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// One value the model sets: a singular field (index -1) or an element of a
// repeated one.
struct Slot {
  Message* message;
  const FieldDescriptor* field;
  int index;
};

struct Fields {
  std::vector<Slot> scalars;         // numbers, strings, enums, bools
  std::vector<Slot> repeated;        // elements of repeated fields (any type)
  std::vector<std::string> strings;  // every string in the model: tensor names to rewire to
};

void collect(Message* m, Fields& out) {
  const Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  for (const FieldDescriptor* f : fields) {
    const bool is_message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (f->is_repeated()) {
      const int n = r->FieldSize(*m, f);
      for (int i = 0; i < n; ++i) {
        out.repeated.push_back({m, f, i});
        if (is_message) {
          collect(r->MutableRepeatedMessage(m, f, i), out);
        } else {
          out.scalars.push_back({m, f, i});
          if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING && f->name() != "raw_data")
            out.strings.push_back(r->GetRepeatedString(*m, f, i));
        }
      }
    } else if (is_message) {
      collect(r->MutableMessage(m, f), out);
    } else {
      out.scalars.push_back({m, f, -1});
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING && f->name() != "raw_data")
        out.strings.push_back(r->GetString(*m, f));
    }
  }
}

// Values that tend to sit on a boundary of some check.
int64_t interesting_int(std::minstd_rand& rng, int64_t old) {
  static const int64_t kValues[] = {0,
                                    1,
                                    -1,
                                    2,
                                    3,
                                    4,
                                    5,
                                    7,
                                    8,
                                    16,
                                    31,
                                    32,
                                    64,
                                    255,
                                    256,
                                    -2,
                                    11,
                                    13,
                                    17,
                                    1000,
                                    65535,
                                    65536,
                                    int64_t{1} << 31,
                                    std::numeric_limits<int32_t>::max(),
                                    std::numeric_limits<int32_t>::min(),
                                    std::numeric_limits<int64_t>::max(),
                                    std::numeric_limits<int64_t>::min(),
                                    int64_t{1} << 32};
  // Wrapping, as the field would: INT64_MAX + 1 is INT64_MIN, not undefined.
  switch (rng() % 4) {
    case 0: return static_cast<int64_t>(static_cast<uint64_t>(old) + 1);
    case 1: return static_cast<int64_t>(static_cast<uint64_t>(old) - 1);
    default: return kValues[rng() % (sizeof kValues / sizeof kValues[0])];
  }
}

double interesting_float(std::minstd_rand& rng, double old) {
  static const double kValues[] = {0.0,  1.0,   -1.0,  0.5,   6.0,  1e-45,
                                   1e38, -1e38, 1e300, 3e-39, -0.0, 2.0};
  switch (rng() % 6) {
    case 0: return old * 2;
    case 1: return -old;
    case 2: return std::numeric_limits<double>::quiet_NaN();
    case 3: return std::numeric_limits<double>::infinity();
    default: return kValues[rng() % (sizeof kValues / sizeof kValues[0])];
  }
}

// The ops the importer knows (node_translation.cpp, constant_folding.cpp) and
// a few it does not, for an op type to become.
const char* const kOpTypes[] = {"Conv",
                                "Gemm",
                                "MatMul",
                                "BatchNormalization",
                                "Relu",
                                "LeakyRelu",
                                "Clip",
                                "Sigmoid",
                                "Tanh",
                                "HardSigmoid",
                                "HardSwish",
                                "Add",
                                "Sub",
                                "Mul",
                                "Div",
                                "MaxPool",
                                "AveragePool",
                                "GlobalAveragePool",
                                "GlobalMaxPool",
                                "ReduceMean",
                                "ReduceMax",
                                "Flatten",
                                "Reshape",
                                "Squeeze",
                                "Unsqueeze",
                                "Pad",
                                "Concat",
                                "Softmax",
                                "Identity",
                                "Dropout",
                                "Constant",
                                "Shape",
                                "Gather",
                                "Slice",
                                "Transpose",
                                "Cast",
                                "ConstantOfShape",
                                "Split",
                                "Expand",
                                "Resize",
                                "PRelu",
                                "LogSoftmax",
                                "ReduceSum",
                                "Equal",
                                "Where",
                                "Erf",
                                "LSTM"};

std::string new_string(std::minstd_rand& rng, const Slot& s, const Fields& fields,
                       const std::string& old) {
  if (s.field->name() == "op_type") return kOpTypes[rng() % (sizeof kOpTypes / sizeof kOpTypes[0])];
  switch (rng() % 8) {
    case 0: return "";
    case 1: return old + "_";
    default: return fields.strings.empty() ? old : fields.strings[rng() % fields.strings.size()];
  }
}

// raw_data through libFuzzer's own byte mutations, within a bound.
std::string mutate_bytes(const std::string& old) {
  constexpr size_t kMaxRaw = 1 << 16;
  std::string bytes = old;
  const size_t cap = std::max(bytes.size() + 64, size_t{64});
  if (cap > kMaxRaw) return bytes;
  bytes.resize(cap);
  const size_t n =
      LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(bytes.data()), old.size(), bytes.size());
  bytes.resize(n);
  return bytes;
}

void mutate_scalar(std::minstd_rand& rng, const Slot& s, const Fields& fields) {
  Message* m = s.message;
  const Reflection* r = m->GetReflection();
  const FieldDescriptor* f = s.field;
  const bool rep = s.index >= 0;
  const int i = s.index;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto v = static_cast<int32_t>(
          interesting_int(rng, rep ? r->GetRepeatedInt32(*m, f, i) : r->GetInt32(*m, f)));
      rep ? r->SetRepeatedInt32(m, f, i, v) : r->SetInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v =
          interesting_int(rng, rep ? r->GetRepeatedInt64(*m, f, i) : r->GetInt64(*m, f));
      rep ? r->SetRepeatedInt64(m, f, i, v) : r->SetInt64(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const auto v = static_cast<uint32_t>(
          interesting_int(rng, rep ? r->GetRepeatedUInt32(*m, f, i) : r->GetUInt32(*m, f)));
      rep ? r->SetRepeatedUInt32(m, f, i, v) : r->SetUInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const auto v = static_cast<uint64_t>(interesting_int(
          rng, static_cast<int64_t>(rep ? r->GetRepeatedUInt64(*m, f, i) : r->GetUInt64(*m, f))));
      rep ? r->SetRepeatedUInt64(m, f, i, v) : r->SetUInt64(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const auto v = static_cast<float>(
          interesting_float(rng, rep ? r->GetRepeatedFloat(*m, f, i) : r->GetFloat(*m, f)));
      rep ? r->SetRepeatedFloat(m, f, i, v) : r->SetFloat(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double v =
          interesting_float(rng, rep ? r->GetRepeatedDouble(*m, f, i) : r->GetDouble(*m, f));
      rep ? r->SetRepeatedDouble(m, f, i, v) : r->SetDouble(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v = !(rep ? r->GetRepeatedBool(*m, f, i) : r->GetBool(*m, f));
      rep ? r->SetRepeatedBool(m, f, i, v) : r->SetBool(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type();
      const auto* v = e->value(static_cast<int>(rng() % static_cast<unsigned>(e->value_count())));
      rep ? r->SetRepeatedEnum(m, f, i, v) : r->SetEnum(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string old = rep ? r->GetRepeatedString(*m, f, i) : r->GetString(*m, f);
      const std::string v =
          f->name() == "raw_data" ? mutate_bytes(old) : new_string(rng, s, fields, old);
      rep ? r->SetRepeatedString(m, f, i, v) : r->SetString(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: break;
  }
}

// Removes, repeats or moves one element of a repeated field: a node, an
// input, a dimension, an attribute, an initializer.
void mutate_repeated(std::minstd_rand& rng, const Slot& s) {
  Message* m = s.message;
  const Reflection* r = m->GetReflection();
  const FieldDescriptor* f = s.field;
  const int n = r->FieldSize(*m, f);
  switch (rng() % 3) {
    case 0:  // remove
      for (int k = s.index; k + 1 < n; ++k) r->SwapElements(m, f, k, k + 1);
      r->RemoveLast(m, f);
      break;
    case 1: {  // repeat: append a copy, then move it next to the original
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        r->AddMessage(m, f)->CopyFrom(r->GetRepeatedMessage(*m, f, s.index));
      } else {
        // Scalars: adding a copy of any kind is done by reflection's Add*.
        switch (f->cpp_type()) {
          case FieldDescriptor::CPPTYPE_INT32:
            r->AddInt32(m, f, r->GetRepeatedInt32(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_INT64:
            r->AddInt64(m, f, r->GetRepeatedInt64(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_UINT32:
            r->AddUInt32(m, f, r->GetRepeatedUInt32(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_UINT64:
            r->AddUInt64(m, f, r->GetRepeatedUInt64(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_FLOAT:
            r->AddFloat(m, f, r->GetRepeatedFloat(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_DOUBLE:
            r->AddDouble(m, f, r->GetRepeatedDouble(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_BOOL:
            r->AddBool(m, f, r->GetRepeatedBool(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_ENUM:
            r->AddEnum(m, f, r->GetRepeatedEnum(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_STRING:
            r->AddString(m, f, r->GetRepeatedString(*m, f, s.index));
            break;
          case FieldDescriptor::CPPTYPE_MESSAGE: break;
        }
      }
      for (int k = n; k > s.index + 1; --k) r->SwapElements(m, f, k, k - 1);
      break;
    }
    default:  // swap with another element
      r->SwapElements(m, f, s.index, static_cast<int>(rng() % static_cast<unsigned>(n)));
      break;
  }
}

}  // namespace

size_t mutate_onnx_model(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  onnx::ModelProto model;
  if (size == 0 || !model.ParseFromArray(data, static_cast<int>(size))) return 0;
  std::minstd_rand rng(seed);
  Fields fields;
  collect(&model, fields);
  if (fields.scalars.empty()) return 0;
  // Mostly values; sometimes the shape of the graph itself.
  if (rng() % 4 == 0 && !fields.repeated.empty()) {
    mutate_repeated(rng, fields.repeated[rng() % fields.repeated.size()]);
  } else {
    mutate_scalar(rng, fields.scalars[rng() % fields.scalars.size()], fields);
  }
  const size_t out = model.ByteSizeLong();
  if (out == 0 || out > max_size) return 0;
  return model.SerializeToArray(data, static_cast<int>(out)) ? out : 0;
}

}  // namespace yono::fuzz
