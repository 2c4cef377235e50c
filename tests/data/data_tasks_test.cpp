#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "data_test_support.h"
#include "yono/compiler/data/data_path.h"
#include "yono/compiler/data/tasks.h"

namespace yono::data {
namespace {

// Points YONO_DATA at a folder for one test and restores it afterwards.
class ScopedDataRoot {
 public:
  explicit ScopedDataRoot(const std::string& root) {
    if (const char* old = getenv("YONO_DATA")) saved_ = old, had_ = true;
    setenv("YONO_DATA", root.c_str(), 1);
  }
  ~ScopedDataRoot() {
    if (had_) {
      setenv("YONO_DATA", saved_.c_str(), 1);
    } else {
      unsetenv("YONO_DATA");
    }
  }

 private:
  std::string saved_;
  bool had_ = false;
};

void write_batch(const std::string& path, size_t records, uint8_t pixel) {
  std::vector<uint8_t> bytes;
  for (size_t r = 0; r < records; ++r) {
    bytes.push_back(static_cast<uint8_t>(r % 10));
    bytes.insert(bytes.end(), 3 * 32 * 32, pixel);
  }
  test::write_bytes(path, bytes);
}

TEST(LoadTask, Cifar10PrefersTheBinaryReleaseAndCarvesValidation) {
  test::TempDir root;
  const std::string dir = "cifar10/cifar-10-batches-bin/";
  test::write_text(root.file(dir + "batches.meta.txt"),
                   "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
  for (int b = 1; b <= 5; ++b) {
    write_batch(root.file(dir + "data_batch_" + std::to_string(b) + ".bin"), 1002, 51);
  }
  write_batch(root.file(dir + "test_batch.bin"), 20, 102);
  // An image folder next to it must be ignored (it would fail: the class folder is empty).
  test::write_text(root.file("cifar10/train/airplane/readme.txt"), "");
  ScopedDataRoot scope(root.path());

  const Split s = load_task("cifar10", 3);
  // Fewer than the official 50,000: a tenth is held out for validation.
  EXPECT_EQ(s.validation.size(), 501u);
  EXPECT_EQ(s.train.size(), 5010u - 501u);
  EXPECT_EQ(s.test.size(), 20u);
  EXPECT_FLOAT_EQ(s.test.samples[0], 0.4f);
  EXPECT_FLOAT_EQ(s.train.samples[5], 0.2f);
}

// Runs in a scratch folder for its lifetime, so the relative roots of the
// search path (./data, ../shared/datasets) find nothing there.
class ScopedWorkingDir {
 public:
  explicit ScopedWorkingDir(const std::string& dir) : saved_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~ScopedWorkingDir() { std::filesystem::current_path(saved_); }

 private:
  std::filesystem::path saved_;
};

TEST(LoadTask, MissingDataSetErrorListsTheSearchPath) {
  test::TempDir root;
  ScopedDataRoot scope(root.path());
  ScopedWorkingDir away(root.path());
  // /usr/share/datasets, the one absolute root, holds no FSDD in Debian.
  ASSERT_FALSE(locate_dataset_path("fsdd/recordings"))
      << "FSDD found on the search path at " << *locate_dataset_path("fsdd/recordings");
  try {
    load_task("fsdd", 1);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(root.path() + "/fsdd/recordings"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace yono::data
