// The host side reports bad input by throwing yono::Error with a one-line,
// user-facing message; the CLI prints it and exits with code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace yono {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace yono
