#include "pack_models.h"

#include <cstring>
#include <new>
#include <string>

#include "fuzz_support.h"
#include "yono/session.h"

namespace yono::fuzz {
namespace {

[[noreturn]] void fail(uint32_t model, const char* what) {
  report_bug("a pack Pack::open accepted", "model " + std::to_string(model) + ": " + what);
}

// Exactly `size` bytes, 16-byte aligned as Session wants; operator new[]
// with an alignment keeps the requested size for ASan.
class ExactArena {
 public:
  explicit ExactArena(size_t size)
      : data_(static_cast<uint8_t*>(::operator new[](size == 0 ? 1 : size, kAlign))) {
    // Not zero: a kernel that reads arena bytes nobody wrote sees garbage
    // the same way on every run.
    std::memset(data_, 0xA5, size);
  }
  ~ExactArena() { ::operator delete[](data_, kAlign); }
  ExactArena(const ExactArena&) = delete;
  ExactArena& operator=(const ExactArena&) = delete;
  uint8_t* data() { return data_; }

 private:
  static constexpr std::align_val_t kAlign{16};
  uint8_t* data_;
};

void inspect(const Pack& pack, uint32_t m) {
  const char* name = pack.model_name(m);
  if (name == nullptr) fail(m, "no name");
  uint32_t found = 0;
  if (pack.find_model(name, &found) != Status::kOk || found != m) fail(m, "not found by its name");
  for (uint32_t i = 0; i < pack.input_count(m) + pack.output_count(m); ++i) {
    TensorInfo info{};
    const bool input = i < pack.input_count(m);
    const uint32_t k = input ? i : i - pack.input_count(m);
    if ((input ? pack.input_info(m, k, &info) : pack.output_info(m, k, &info)) != Status::kOk)
      fail(m, "no tensor info for an input or output");
    uint64_t elements = 1;
    for (uint32_t d = 0; d < info.rank; ++d) elements *= info.dims[d];
    if (info.name == nullptr || elements != info.element_count)
      fail(m, "tensor info disagrees with its dims");
  }
  if (pack.scratch_size(m) > pack.arena_size(m)) fail(m, "scratch larger than the arena");
}

void run(const Pack& pack, uint32_t m) {
  const uint32_t arena_size = pack.arena_size(m);
  ExactArena arena(arena_size);
  if (arena_size > 0) {
    Session small(pack, arena.data(), arena_size - 1);
    if (small.select(m) != Status::kArenaTooSmall) fail(m, "ran in an arena one byte too small");
  }
  Session session(pack, arena.data(), arena_size);
  if (session.select(m) != Status::kOk) fail(m, "cannot be selected with its own arena size");
  for (uint32_t i = 0; i < pack.input_count(m); ++i) {
    const TensorView v = session.input(i);
    if (v.data == nullptr) fail(m, "no input view");
    for (uint32_t k = 0; k < v.element_count; ++k)
      v.data[k] = static_cast<float>(static_cast<int>(k % 7) - 3) * 0.25f;
  }
  if (session.invoke() != Status::kOk) fail(m, "invoke failed");
  float sum = 0.0f;
  for (uint32_t i = 0; i < pack.output_count(m); ++i) {
    const TensorView v = session.output(i);
    if (v.data == nullptr) fail(m, "no output view");
    for (uint32_t k = 0; k < v.element_count; ++k) sum += v.data[k];
  }
  volatile float sink = sum;  // every output byte is read, so ASan checks it
  (void)sink;
}

}  // namespace

void run_every_model(const Pack& pack, uint32_t max_arena) {
  for (uint32_t i = 0; i < pack.codebook_count(); ++i) (void)pack.codebook_name(i);
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    inspect(pack, m);
    if (pack.arena_size(m) <= max_arena) run(pack, m);
  }
}

}  // namespace yono::fuzz
