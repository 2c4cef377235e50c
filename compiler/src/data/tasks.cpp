#include "yono/compiler/data/tasks.h"

#include "task_loaders.h"
#include "yono/compiler/error.h"

namespace yono::data {

std::vector<std::string> known_tasks() {
  return {"fashion-mnist", "cifar10", "fsdd", "fsdd-mfcc", "hmp"};
}

Split load_task(const std::string& task, uint64_t seed) {
  if (task == "fashion-mnist") return load_fashion_mnist(seed);
  if (task == "cifar10") return load_cifar10(seed);
  if (task == "fsdd") return load_fsdd(seed, false);
  if (task == "fsdd-mfcc") return load_fsdd(seed, true);
  if (task == "hmp") return load_hmp(seed);
  std::string known;
  for (const std::string& name : known_tasks()) known += (known.empty() ? "" : ", ") + name;
  throw Error("unknown task '" + task + "' (known: " + known + ")");
}

}  // namespace yono::data
