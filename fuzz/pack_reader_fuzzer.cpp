// Fuzz target: the runtime's pack reader, Pack::open (runtime/src/pack.cpp,
// pack_validator.cpp), then a Session run of every model it accepts
// (session.cpp, ops/, kernels/). The validator promises that a pack it
// accepts never makes Session::invoke read or write outside the pack or the
// arena; the pack is copied into exactly `size` bytes and each arena is
// exactly the size the model asks for, so ASan sees any byte past either.
//
// The custom mutator lets libFuzzer mutate as usual and then recomputes
// the section and header CRCs (pack_checksums.h), so mutations reach the
// record checks; one mutation in 16 keeps its bad checksums.
// Seeds: fuzz/corpus/pack_reader (packs of every op, float, PQ, int8, f16, grown v3).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include "fuzz_support.h"
#include "pack_checksums.h"
#include "pack_models.h"
#include "yono/pack.h"

namespace {

// Larger arenas only slow the fuzzer down; the models that need them are
// still opened and inspected.
constexpr uint32_t kMaxArena = 1u << 20;

}  // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  size = LLVMFuzzerMutate(data, size, max_size);
  if (seed % 16 != 0) yono::fuzz::fix_pack_checksums(data, size);
  return size;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A pack lives in flash at an aligned address; the fuzzer's buffer is not
  // necessarily aligned, so copy it into exactly `size` aligned bytes.
  constexpr std::align_val_t kAlign{16};
  auto* copy = static_cast<uint8_t*>(::operator new[](size == 0 ? 1 : size, kAlign));
  if (size > 0) std::memcpy(copy, data, size);
  yono::Pack pack;
  const yono::Status status = yono::Pack::open(copy, size, &pack);
  if (status == yono::Status::kOk) {
    yono::fuzz::run_every_model(pack, kMaxArena);
  } else {
    yono::fuzz::note_refusal("Pack::open", yono::status_string(status));
  }
  ::operator delete[](copy, kAlign);
  return 0;
}
