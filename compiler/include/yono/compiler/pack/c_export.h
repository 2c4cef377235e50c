// `yono export-c`: turns a pack into C sources a firmware links, so the pack
// lives in flash (.rodata) and the runtime reads it in place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yono {

struct CExportOptions {
  std::string prefix = "yono";  // C identifier prefix; two exports with
                                // different prefixes link into one firmware
  std::string runtime_dir;      // runtime/ to copy; empty: do not copy it
};

// Writes into out_dir (created if missing):
//   CMakeLists.txt, library.properties (Arduino),
//   src/<prefix>_pack.h  model indices, names, shapes, arena sizes as constants
//   src/<prefix>_pack.c  the pack as a 16-byte aligned const uint8_t array
//   src/yono/, src/yono_runtime/  the runtime sources (when runtime_dir is set)
// The pack is validated with the runtime reader first. Every file is written
// atomically. Throws yono::Error naming the pack or file.
void export_c(const std::vector<uint8_t>& pack_bytes, const std::string& pack_name,
              const std::string& out_dir, const CExportOptions& options);

// Upper-cased C identifier made from a model or prefix name ("kws-v2" -> "KWS_V2").
std::string c_identifier(const std::string& name, bool upper);

}  // namespace yono
