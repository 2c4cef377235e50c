// The CIFAR-10 binary release (cifar-10-batches-bin/): each record is one label
// byte followed by 3 x 32 x 32 pixel bytes, channel-planar R, G, B.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/data/dataset.h"

namespace yono::data {

// Class names from batches.meta.txt: one per line, blank lines ignored.
std::vector<std::string> read_cifar_class_names(const std::string& meta_path);

// Appends all records of one batch file as {3, 32, 32} samples in [0, 1].
// Throws yono::Error naming the file on a partial record or a label outside
// class_names.
void read_cifar_batch(const std::string& path, Dataset& into);

// The official split of a cifar-10-batches-bin folder: data_batch_1..5.bin for
// training, test_batch.bin for testing (validation left empty).
Split read_cifar_binary(const std::string& dir);

}  // namespace yono::data
