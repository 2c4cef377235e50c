#include "cli_common.h"

#include <cstring>

#include "yono/compiler/error.h"
#include "yono/compiler/pack_writer.h"

namespace yono::cli {

std::unique_ptr<LoadedPack> load_pack(const std::string& path) {
  const std::vector<uint8_t> file = read_file(path);
  auto loaded = std::make_unique<LoadedPack>(file.size());
  if (!file.empty()) std::memcpy(loaded->bytes.data(), file.data(), file.size());
  const Status status = Pack::open(loaded->bytes.data(), file.size(), &loaded->pack);
  if (status != Status::kOk) throw Error(path + ": " + status_string(status));
  return loaded;
}

std::string model_names(const Pack& pack) {
  std::string names;
  for (uint32_t m = 0; m < pack.model_count(); ++m) {
    if (m > 0) names += ", ";
    names += pack.model_name(m);
  }
  return names;
}

std::string shape_string(const uint32_t* dims, uint32_t rank) {
  std::string s = "[";
  for (uint32_t i = 0; i < rank; ++i) {
    if (i > 0) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

}  // namespace yono::cli
