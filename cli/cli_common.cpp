#include "cli_common.h"

#include <cstring>
#include <filesystem>
#include <set>

#include "yono/compiler/error.h"
#include "yono/compiler/onnx_import.h"
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

std::vector<ir::Graph> import_models(const std::vector<std::string>& paths,
                                     const std::vector<std::string>& names) {
  if (!names.empty() && names.size() != paths.size()) {
    throw Error("--name given " + std::to_string(names.size()) + " times for " +
                std::to_string(paths.size()) + " models; give one name per model or none");
  }
  std::vector<ir::Graph> graphs;
  std::set<std::string> seen;
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    const std::string name = names.empty() ? std::filesystem::path(path).stem().string() : names[i];
    if (name.empty()) throw Error(path + ": model name is empty");
    if (!seen.insert(name).second) {
      throw Error(path + ": model name '" + name + "' is used twice; choose names with --name");
    }
    graphs.push_back(import_onnx(path, name));
  }
  return graphs;
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

std::string shape_string(const uint32_t* dims, uint32_t rank) {
  std::string s = "[";
  for (uint32_t i = 0; i < rank; ++i) {
    if (i > 0) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

}  // namespace yono::cli
