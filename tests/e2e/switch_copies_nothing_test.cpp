// The claim behind YONO's O(1) task switch: Session::select copies no weight
// byte. The pack sits in read-only pages (a write would fault) and the arena
// is filled with a pattern; switching back and forth between models of very
// different size must leave both untouched and answer the same way.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "e2e_util.h"
#include "yono/compiler/compress/compress.h"
#include "yono/compiler/onnx/import.h"
#include "yono/session.h"

namespace yono::e2e {
namespace {

// mlp_softmax: 14 KB of float weights, a 448-byte arena, ~24k instructions
// per inference on Cortex-M; lenet5: 116 KB, 37 KB, ~8M.
const std::vector<std::string> kModels = {"mlp_softmax", "resnet_small", "lenet5"};

const std::vector<uint8_t>& float_pack() {
  static const std::vector<uint8_t> bytes = fixture_pack(kModels, false);
  return bytes;
}

const std::vector<uint8_t>& pq_pack() {
  static const std::vector<uint8_t> bytes = fixture_pack(kModels, true);
  return bytes;
}

// A page-aligned copy that the process may read but not write, as flash.
class ReadOnlyBytes {
 public:
  explicit ReadOnlyBytes(const std::vector<uint8_t>& bytes) : size_(bytes.size()) {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    mapped_ = (size_ + page - 1) / page * page;
    void* p = ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
    data_ = static_cast<uint8_t*>(p);
    std::memcpy(data_, bytes.data(), size_);
    if (::mprotect(data_, mapped_, PROT_READ) != 0) throw std::runtime_error("mprotect failed");
  }
  ~ReadOnlyBytes() { ::munmap(data_, mapped_); }
  ReadOnlyBytes(const ReadOnlyBytes&) = delete;
  ReadOnlyBytes& operator=(const ReadOnlyBytes&) = delete;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0, mapped_ = 0;
};

uint64_t weight_bytes(const Pack& pack, uint32_t model) {
  uint64_t sum = 0;
  const ModelRecord& m = pack.models()[model];
  for (uint32_t i = 0; i < m.tensor_count; ++i) {
    const TensorRecord& t = pack.model_segment(model).tensors[m.first_tensor + i];
    if (t.kind == static_cast<uint8_t>(TensorKind::kConstant)) sum += t.size;
  }
  return sum;
}

void expect_select_copies_nothing(const std::vector<uint8_t>& bytes, const char* label) {
  const ReadOnlyBytes flash(bytes);
  Pack pack;
  ASSERT_EQ(Pack::open(flash.data(), flash.size(), &pack), Status::kOk) << label;
  uint32_t small = 0, big = 0;
  ASSERT_EQ(pack.find_model("mlp_softmax", &small), Status::kOk);
  ASSERT_EQ(pack.find_model("lenet5", &big), Status::kOk);
  ASSERT_GT(weight_bytes(pack, big), 4 * weight_bytes(pack, small)) << "sizes must differ a lot";
  ASSERT_GT(pack.arena_size(big), 40 * pack.arena_size(small));

  uint32_t arena_size = 0;
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    arena_size = std::max(arena_size, pack.arena_size(m));
  }
  AlignedBuffer arena_buffer((arena_size + 15) / 16 * 16);
  uint8_t* arena = arena_buffer.data();
  const size_t arena_bytes = arena_buffer.size();
  std::memset(arena, 0xA5, arena_bytes);
  const std::vector<uint8_t> pattern(arena_bytes, 0xA5);

  Session session(pack, arena, arena_bytes);
  for (int round = 0; round < 50; ++round) {
    const Status to_big = session.select(big);
    const Status to_small = session.select(small);
    // Same answer whatever the model's size: nothing size-dependent happens.
    ASSERT_EQ(to_big, Status::kOk) << label;
    ASSERT_EQ(to_small, to_big) << label;
    ASSERT_EQ(session.selected(), small);
  }
  ASSERT_EQ(session.select(big), Status::kOk);
  EXPECT_EQ(session.select(pack.model_count()), Status::kInvalidArgument);
  EXPECT_EQ(session.selected(), big) << "a refused switch keeps the current model";

  EXPECT_EQ(std::memcmp(arena, pattern.data(), arena_bytes), 0)
      << label << ": select wrote into the arena";
  EXPECT_EQ(std::memcmp(flash.data(), bytes.data(), bytes.size()), 0)
      << label << ": the pack changed";
  // The selected model's tensors live where the pack says, in this arena.
  const TensorView in = session.input(0);
  ASSERT_NE(in.data, nullptr);
  EXPECT_GE(reinterpret_cast<uint8_t*>(in.data), arena);
  EXPECT_LE(reinterpret_cast<uint8_t*>(in.data + in.element_count), arena + arena_bytes);
}

TEST(SwitchCopiesNothing, FloatPackInReadOnlyMemory) {
  expect_select_copies_nothing(float_pack(), "float");
}

TEST(SwitchCopiesNothing, PqPackInReadOnlyMemory) {
  expect_select_copies_nothing(pq_pack(), "pq");
}

// The pages really are read-only, so the test above would have faulted on
// any write: a child process that writes to them dies with SIGSEGV.
TEST(SwitchCopiesNothing, ReadOnlyPagesFaultOnWrite) {
  ::testing::GTEST_FLAG(death_test_style) = "threadsafe";
  const ReadOnlyBytes flash(float_pack());
  EXPECT_DEATH(const_cast<uint8_t*>(flash.data())[0] ^= 1, "");
}

// Invoking from read-only pages works too: kernels read weights in place.
TEST(SwitchCopiesNothing, ModelsRunFromReadOnlyPack) {
  const ReadOnlyBytes flash(pq_pack());
  Pack pack;
  ASSERT_EQ(Pack::open(flash.data(), flash.size(), &pack), Status::kOk);
  uint32_t arena_size = 0;
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    arena_size = std::max(arena_size, pack.arena_size(m));
  }
  AlignedBuffer arena(arena_size);
  Session session(pack, arena.data(), arena.size());
  for (int round = 0; round < 2; ++round) {
    for (uint32_t m = 0; m < pack.model_count(); ++m) {
      ASSERT_EQ(session.select(m), Status::kOk);
      const TensorView in = session.input(0);
      for (uint32_t i = 0; i < in.element_count; ++i) in.data[i] = 0.25f;
      ASSERT_EQ(session.invoke(), Status::kOk);
    }
  }
  EXPECT_EQ(std::memcmp(flash.data(), pq_pack().data(), pq_pack().size()), 0);
}

}  // namespace
}  // namespace yono::e2e
