#include "yono/compiler/io/loaded_pack.h"

#include <cstring>

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"

namespace yono {

std::unique_ptr<LoadedPack> load_pack(const std::string& path) {
  const std::vector<uint8_t> file = read_file(path);
  auto loaded = std::make_unique<LoadedPack>(file.size());
  if (!file.empty()) std::memcpy(loaded->bytes.data(), file.data(), file.size());
  const Status status = Pack::open(loaded->bytes.data(), file.size(), &loaded->pack);
  if (status != Status::kOk) throw Error(path + ": " + status_string(status));
  return loaded;
}

std::unique_ptr<LoadedPack> check_written_pack(const std::string& output,
                                               const std::vector<uint8_t>& bytes) {
  auto loaded = std::make_unique<LoadedPack>(bytes.size());
  if (!bytes.empty()) std::memcpy(loaded->bytes.data(), bytes.data(), bytes.size());
  const Status status = Pack::open(loaded->bytes.data(), bytes.size(), &loaded->pack);
  if (status != Status::kOk) {
    throw Error(output + ": internal error: written pack does not validate (" +
                status_string(status) + ")");
  }
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

}  // namespace yono
