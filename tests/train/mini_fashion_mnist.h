// The CLI tests' scratch world: a folder holding a miniature Fashion-MNIST
// (IDX, gzip) under data/fashion-mnist, and the `yono` command run from that
// folder with YONO_DATA pointing there, so only the miniature data (and
// /usr/share/datasets, which has no FSDD) is found.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace yono::test {

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes DIR/data/fashion-mnist/PREFIX-{images-idx3,labels-idx1}-ubyte.gz
// with `count` 28x28 images. Class c is a bright horizontal band at rows
// 2c+4..2c+5 over noise: learnable in one or two epochs, so accuracy says
// something.
inline void write_fashion_split(const std::filesystem::path& dir, const std::string& prefix,
                                int count, uint32_t seed) {
  constexpr int kClasses = 10, kSide = 28;
  std::mt19937 rng(seed);
  std::vector<uint8_t> images, labels;
  auto be32 = [](std::vector<uint8_t>& v, uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<uint8_t>(x >> s));
  };
  be32(images, 0x803);
  be32(images, static_cast<uint32_t>(count));
  be32(images, kSide);
  be32(images, kSide);
  be32(labels, 0x801);
  be32(labels, static_cast<uint32_t>(count));
  for (int i = 0; i < count; ++i) {
    const int c = i % kClasses;
    labels.push_back(static_cast<uint8_t>(c));
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        const bool band = y == 2 * c + 4 || y == 2 * c + 5;
        images.push_back(static_cast<uint8_t>((band ? 180 : 0) + rng() % 60));
      }
  }
  std::filesystem::create_directories(dir / "data" / "fashion-mnist");
  for (const auto& [name, bytes] : {std::make_pair(prefix + "-images-idx3-ubyte.gz", &images),
                                    std::make_pair(prefix + "-labels-idx1-ubyte.gz", &labels)}) {
    const std::string p = (dir / "data" / "fashion-mnist" / name).string();
    gzFile f = gzopen(p.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot write " + p);
    const int written = gzwrite(f, bytes->data(), static_cast<unsigned>(bytes->size()));
    gzclose(f);
    if (written != static_cast<int>(bytes->size())) throw std::runtime_error("short write " + p);
  }
}

// `yono ARGS` from `dir`, stdout and stderr captured.
inline CliRun run_yono(const std::filesystem::path& dir, const std::string& args) {
  const std::string cmd = "cd '" + dir.string() + "' && YONO_DATA='" + (dir / "data").string() +
                          "' '" + YONO_CLI_PATH + "' " + args + " >out.txt 2>err.txt";
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir / "out.txt");
  r.err = slurp(dir / "err.txt");
  return r;
}

// Base of the CLI test suites: one scratch world per suite, made by the
// suite's SetUpTestSuite through create_world and removed by destroy_world.
class MiniFashionMnistCli : public ::testing::Test {
 protected:
  static void create_world(const std::string& name, int train_count, uint32_t train_seed,
                           int test_count, uint32_t test_seed) {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     (name + "-" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    write_fashion_split(*dir_, "train", train_count, train_seed);
    write_fashion_split(*dir_, "t10k", test_count, test_seed);
  }
  static void destroy_world() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }

  static const std::filesystem::path& dir() { return *dir_; }
  static std::string path(const std::string& file) { return (*dir_ / file).string(); }
  static CliRun yono(const std::string& args) { return run_yono(*dir_, args); }

 private:
  static inline std::filesystem::path* dir_ = nullptr;
};

}  // namespace yono::test
