// A pack file read into aligned memory and opened with the runtime's reader,
// as the tools and the measurements use it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "yono/compiler/io/aligned_buffer.h"
#include "yono/pack.h"

namespace yono {

// `pack` points into `bytes`.
struct LoadedPack {
  explicit LoadedPack(size_t size) : bytes(size) {}
  AlignedBuffer bytes;
  Pack pack;
};

// " (tensor 17 of model 2)": which record Pack::open refused, for messages;
// empty when the fault names none.
std::string describe_pack_fault(const PackFault& fault);

// Throws yono::Error "<path>: <status> (<record>)" when the file is not a
// valid pack.
// Returned by pointer because `pack` must not outlive or move away from `bytes`.
std::unique_ptr<LoadedPack> load_pack(const std::string& path);

// Re-opens freshly written pack bytes with the runtime reader, so summaries
// report what the device will see and a writer bug is caught before a file
// exists. Throws yono::Error naming `output`.
std::unique_ptr<LoadedPack> check_written_pack(const std::string& output,
                                               const std::vector<uint8_t>& bytes);

// The most arena the host tools allocate for one model. A valid pack may ask
// for up to 4 GiB; a device has kilobytes, so a request past this is a
// mistake (or a hostile file) to report, not memory to zero.
constexpr size_t kMaxHostArenaBytes = size_t{256} << 20;

// A zeroed arena for `models` run one at a time (the largest of their
// sizes). Throws yono::Error starting with `label` past kMaxHostArenaBytes.
AlignedBuffer host_arena(const Pack& pack, const std::vector<uint32_t>& models,
                         const std::string& label);

// Names of all models, for error messages: "a, b, c".
std::string model_names(const Pack& pack);

}  // namespace yono
