// Helpers shared by the `yono` subcommands. Each subcommand lives in its own
// cmd_*.cpp and registers itself on the app through an add_*_command().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "yono/compiler/ir.h"
#include "yono/pack.h"

namespace CLI {
class App;
}

namespace yono::cli {

void add_import_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_compress_command(CLI::App& app);
void add_export_c_command(CLI::App& app);

// Bytes with the 16-byte alignment the runtime wants for packs and arenas;
// std::vector<uint8_t> only promises the alignment of uint8_t.
class AlignedBuffer {
 public:
  explicit AlignedBuffer(size_t size) : blocks_((size + 15) / 16), size_(size) {}
  uint8_t* data() { return blocks_.empty() ? nullptr : blocks_.front().bytes; }
  size_t size() const { return size_; }

 private:
  struct alignas(16) Block {
    uint8_t bytes[16];
  };
  std::vector<Block> blocks_;
  size_t size_;
};

// A pack read from disk and validated; `pack` points into `bytes`.
struct LoadedPack {
  explicit LoadedPack(size_t size) : bytes(size) {}
  AlignedBuffer bytes;
  Pack pack;
};

// Throws yono::Error "<path>: <status>" when the file is not a valid pack.
// Returned by pointer because `pack` must not outlive or move away from `bytes`.
std::unique_ptr<LoadedPack> load_pack(const std::string& path);

// Imports every model file (all before anything is written, so a bad input
// never leaves a pack behind). Names default to the file's stem; `names`, if
// given, has one per model. Throws yono::Error naming the file.
std::vector<ir::Graph> import_models(const std::vector<std::string>& paths,
                                     const std::vector<std::string>& names);

// Re-opens freshly written pack bytes with the runtime reader, so summaries
// report what the device will see and a writer bug is caught before a file
// exists. Throws yono::Error naming `output`.
std::unique_ptr<LoadedPack> check_written_pack(const std::string& output,
                                               const std::vector<uint8_t>& bytes);

// Names of all models, for error messages: "a, b, c".
std::string model_names(const Pack& pack);

std::string shape_string(const uint32_t* dims, uint32_t rank);  // "[1,3,32,32]"

}  // namespace yono::cli
