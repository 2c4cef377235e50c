// Fuzz target: the ONNX importer, import_onnx (compiler/src/onnx: protobuf
// parse, opset check, constant folding, node translation, the IR passes,
// shape inference and validation), on the input written as an .onnx file.
// A graph it accepts then goes the way `yono import` takes it: write_pack,
// Pack::open and a Session run of the model (pack_models.h). The writer may
// refuse a graph with yono::Error; a pack it writes that the runtime's
// reader refuses is a bug (the importer and the format disagree).
// Three mutations in four are structure-aware (onnx_mutator.h: parse,
// change one field or repeated element, serialise), the rest libFuzzer's
// own byte mutations, which also test the protobuf parse itself.
// Seeds: fuzz/corpus/onnx_import (the PyTorch-exported test fixtures and
// small exported IR graphs).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "fuzz_support.h"
#include "onnx_mutator.h"
#include "pack_models.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_writer.h"
#include "yono/pack.h"

namespace {

constexpr uint32_t kMaxArena = 1u << 20;

void pack_and_run(const yono::ir::Graph& graph) {
  const std::vector<uint8_t> bytes = yono::write_pack({graph});
  constexpr std::align_val_t kAlign{16};
  auto* copy = static_cast<uint8_t*>(::operator new[](bytes.size(), kAlign));
  std::memcpy(copy, bytes.data(), bytes.size());
  yono::Pack pack;
  const yono::Status status = yono::Pack::open(copy, bytes.size(), &pack);
  if (status != yono::Status::kOk) {
    std::fprintf(stderr, "yono fuzz: the pack written for an imported graph does not open: %s\n",
                 yono::status_string(status));
    std::abort();
  }
  yono::fuzz::run_every_model(pack, kMaxArena);
  ::operator delete[](copy, kAlign);
}

}  // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  if (seed % 4 != 0) {
    const size_t mutated = yono::fuzz::mutate_onnx_model(data, size, max_size, seed);
    if (mutated != 0) return mutated;
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = yono::fuzz::write_scratch_file("model.onnx", data, size);
  yono::fuzz::expect_only_yono_errors("import_onnx", [&] {
    const yono::ir::Graph graph = yono::import_onnx(path, "fuzz");
    pack_and_run(graph);
  });
  return 0;
}
