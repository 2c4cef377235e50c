#include "yono/compiler/io/loaded_pack.h"

#include <algorithm>
#include <cstring>

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"

namespace yono {

std::string describe_pack_fault(const PackFault& f) {
  const std::string i = std::to_string(f.index), m = std::to_string(f.model);
  switch (f.part) {
    case PackPart::kNone: return "";
    case PackPart::kHeader: return " (in the header)";
    case PackPart::kSectionTable:
      return f.index == UINT32_MAX ? " (in the section table)" : " (section table entry " + i + ")";
    case PackPart::kCodebook: return " (codebook record " + i + ")";
    case PackPart::kCodeBlock:
      return " (code block " + i + " of segment " + std::to_string(f.segment) + ")";
    case PackPart::kModel: return " (model record " + m + ")";
    case PackPart::kTensor: return " (tensor " + i + " of model " + m + ")";
    case PackPart::kOp: return " (op " + i + " of model " + m + ")";
    case PackPart::kDataflow: return " (dataflow of model " + m + ")";
  }
  return "";
}

std::unique_ptr<LoadedPack> load_pack(const std::string& path) {
  const std::vector<uint8_t> file = read_file(path);
  if (file.empty()) throw Error(path + ": file is empty, not a pack");
  auto loaded = std::make_unique<LoadedPack>(file.size());
  if (!file.empty()) std::memcpy(loaded->bytes.data(), file.data(), file.size());
  PackFault fault;
  const Status status = Pack::open(loaded->bytes.data(), file.size(), &loaded->pack, &fault);
  if (status != Status::kOk)
    throw Error(path + ": " + status_string(status) + describe_pack_fault(fault));
  return loaded;
}

std::unique_ptr<LoadedPack> check_written_pack(const std::string& output,
                                               const std::vector<uint8_t>& bytes) {
  auto loaded = std::make_unique<LoadedPack>(bytes.size());
  if (!bytes.empty()) std::memcpy(loaded->bytes.data(), bytes.data(), bytes.size());
  PackFault fault;
  const Status status = Pack::open(loaded->bytes.data(), bytes.size(), &loaded->pack, &fault);
  if (status != Status::kOk) {
    throw Error(output + ": internal error: written pack does not validate (" +
                status_string(status) + describe_pack_fault(fault) + ")");
  }
  return loaded;
}

AlignedBuffer host_arena(const Pack& pack, const std::vector<uint32_t>& models,
                         const std::string& label) {
  size_t bytes = 0;
  for (const uint32_t m : models) {
    const size_t need = pack.arena_size(m);
    if (need > kMaxHostArenaBytes)
      throw Error(label + ": model '" + pack.model_name(m) + "' asks for an arena of " +
                  std::to_string(need) + " bytes, more than the host tools allocate (" +
                  std::to_string(kMaxHostArenaBytes >> 20) + " MiB)");
    bytes = std::max(bytes, need);
  }
  return AlignedBuffer(bytes);
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
