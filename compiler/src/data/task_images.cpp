// The two image tasks: Fashion-MNIST (IDX) and CIFAR-10 (binary or image folder).
#include <algorithm>
#include <filesystem>

#include "task_loaders.h"
#include "yono/compiler/data/cifar_binary_reader.h"
#include "yono/compiler/data/data_path.h"
#include "yono/compiler/data/idx_reader.h"
#include "yono/compiler/data/image_folder_reader.h"
#include "yono/compiler/error.h"

namespace yono::data {
namespace fs = std::filesystem;

namespace {

// 5,000 held out of the official 60k/50k training sets; a smaller set in the
// same layout (a user's subset, a test's miniature) keeps a tenth.
size_t validation_size(const Dataset& train) {
  return std::min<size_t>(5000, train.size() / 10);
}

// The zalando repository ships .gz; some mirrors ship the files unpacked.
std::string idx_file(const std::string& dir, const std::string& name) {
  const fs::path gz = fs::path(dir) / (name + ".gz");
  std::error_code ec;
  return fs::exists(gz, ec) ? gz.string() : (fs::path(dir) / name).string();
}

}  // namespace

Split load_fashion_mnist(uint64_t seed) {
  const std::string dir = find_dataset_dir("fashion-mnist");
  const std::vector<std::string> classes = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                            "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                            "Bag",         "Ankle boot"};
  Split split;
  split.train = read_idx_dataset(idx_file(dir, "train-images-idx3-ubyte"),
                                 idx_file(dir, "train-labels-idx1-ubyte"), classes);
  split.test = read_idx_dataset(idx_file(dir, "t10k-images-idx3-ubyte"),
                                idx_file(dir, "t10k-labels-idx1-ubyte"), classes);
  split.validation = carve_validation(split.train, validation_size(split.train), seed);
  return split;
}

Split load_cifar10(uint64_t seed) {
  // The binary release is the reference pixels; the JPEG folder is a lossy
  // re-encoding, so it is only the fallback.
  std::vector<std::string> tried;
  for (const char* relative : {"cifar10/cifar-10-batches-bin", "cifar-10-batches-bin", "cifar10"}) {
    if (auto dir = locate_dataset_path(std::string(relative) + "/data_batch_1.bin", &tried)) {
      Split split = read_cifar_binary(fs::path(*dir).parent_path().string());
      split.validation = carve_validation(split.train, validation_size(split.train), seed);
      return split;
    }
  }
  const std::string dir = find_dataset_dir("cifar10/train", &tried);
  const std::string root = fs::path(dir).parent_path().string();
  Split split;
  split.train = read_image_folder(dir);
  split.test = read_image_folder((fs::path(root) / "test").string());
  if (split.test.class_names != split.train.class_names) {
    throw Error(root + ": train and test class folders differ");
  }
  split.validation = carve_validation(split.train, validation_size(split.train), seed);
  return split;
}

}  // namespace yono::data
