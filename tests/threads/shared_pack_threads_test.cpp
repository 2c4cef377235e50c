// Several Sessions over one read-only pack, one per thread, each with its own
// arena: the runtime keeps no mutable state in the Pack or anywhere global,
// so every thread computes exactly what one thread alone does. Built with
// -fsanitize=thread by ./run test (YONO_TSAN), which reports any data race.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "yono/pack.h"
#include "yono/session.h"

namespace {

// 16-byte aligned storage, as the runtime wants for packs and arenas.
struct Aligned {
  explicit Aligned(size_t n)
      : size(n),
        data(static_cast<uint8_t*>(::operator new[](n == 0 ? 16 : n, std::align_val_t{16}))) {
    std::memset(data, 0, n == 0 ? 16 : n);
  }
  ~Aligned() { ::operator delete[](data, std::align_val_t{16}); }
  Aligned(const Aligned&) = delete;
  Aligned& operator=(const Aligned&) = delete;
  size_t size;
  uint8_t* data;
};

// The model's first output for a deterministic input that differs per model.
std::vector<float> run(yono::Session& s, uint32_t model) {
  if (s.select(model) != yono::Status::kOk) return {};
  yono::TensorView in = s.input(0);
  for (uint32_t i = 0; i < in.element_count; ++i)
    in.data[i] = static_cast<float>((i * 37 + model * 11) % 101) / 50.0f - 1.0f;
  if (s.invoke() != yono::Status::kOk) return {};
  const yono::TensorView out = s.output(0);
  return std::vector<float>(out.data, out.data + out.element_count);
}

TEST(SharedPack, SessionsOnSeveralThreadsComputeWhatOneDoes) {
  // The zoo pack: PQ, int8 and float layers of four kinds of model.
  std::ifstream file(YONO_ZOO_PACK, std::ios::binary);
  ASSERT_TRUE(file.good()) << YONO_ZOO_PACK;
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                   std::istreambuf_iterator<char>());
  Aligned storage(bytes.size());
  std::memcpy(storage.data, bytes.data(), bytes.size());
  yono::Pack pack;
  ASSERT_EQ(yono::Pack::open(storage.data, storage.size, &pack), yono::Status::kOk);
  const uint32_t models = pack.model_count();
  ASSERT_GE(models, 2u);
  size_t arena_bytes = 16;
  for (uint32_t m = 0; m < models; ++m)
    arena_bytes = std::max<size_t>(arena_bytes, pack.arena_size(m));

  std::vector<std::vector<float>> alone(models);
  {
    Aligned arena(arena_bytes);
    yono::Session s(pack, arena.data, arena.size);
    for (uint32_t m = 0; m < models; ++m) {
      alone[m] = run(s, m);
      ASSERT_FALSE(alone[m].empty()) << pack.model_name(m);
    }
  }

  constexpr int kThreads = 4, kRounds = 3;
  std::atomic<int> mismatches{0}, runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Aligned arena(arena_bytes);
      yono::Session s(pack, arena.data, arena.size);
      // Each thread walks the models in its own order, switching every run.
      for (int r = 0; r < kRounds; ++r)
        for (uint32_t i = 0; i < models; ++i) {
          const uint32_t m = (i + static_cast<uint32_t>(t)) % models;
          if (run(s, m) != alone[m]) ++mismatches;
          ++runs;
        }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(runs.load(), kThreads * kRounds * static_cast<int>(models));
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
