#include "cli_common.h"

namespace yono::cli {

std::string shape_string(const uint32_t* dims, uint32_t rank) {
  std::string s = "[";
  for (uint32_t i = 0; i < rank; ++i) {
    if (i > 0) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

}  // namespace yono::cli
