// Fuzz target: the CIFAR-10 binary reader (compiler/src/data/
// cifar_binary_reader.cpp): read_cifar_batch on the input as a batch file,
// and read_cifar_class_names on the same bytes as batches.meta.txt.
// Seeds: fuzz/corpus/cifar_binary_reader (batches of a few records, a meta file).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "yono/compiler/data/cifar_binary_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = yono::fuzz::write_scratch_file("data_batch_1.bin", data, size);
  yono::fuzz::expect_only_yono_errors("read_cifar_batch", [&] {
    yono::data::Dataset batch;
    batch.class_names = {"airplane", "automobile", "bird",  "cat",  "deer",
                         "dog",      "frog",       "horse", "ship", "truck"};
    yono::data::read_cifar_batch(path, batch);
  });
  yono::fuzz::expect_only_yono_errors("read_cifar_class_names",
                                      [&] { (void)yono::data::read_cifar_class_names(path); });
  return 0;
}
