// Several ONNX files -> one list of named graphs, as `yono import` and
// `yono compress` take them, each one checked to fit a pack.
#include <filesystem>
#include <set>

#include "yono/compiler/error.h"
#include "yono/compiler/onnx/import.h"
#include "yono/compiler/pack/pack_writer.h"

namespace yono {

std::vector<ir::Graph> import_onnx_models(const std::vector<std::string>& paths,
                                          const std::vector<std::string>& names,
                                          const OnnxImportOptions& options) {
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
    graphs.push_back(import_onnx(path, name, options));
    // What the pack format cannot hold (an arena past 4 GiB, a window whose
    // indices overflow 32 bits) is refused now, naming the file; the writer
    // itself knows only the model's name.
    try {
      (void)write_pack({graphs.back()});
    } catch (const Error& e) {
      throw Error(path + ": " + e.what());
    }
  }
  return graphs;
}

}  // namespace yono
