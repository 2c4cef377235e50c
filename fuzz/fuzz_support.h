// What every fuzz target shares: a private scratch folder per process (most
// readers take a path, not bytes), and the rule that bad input may only be
// refused with yono::Error. Anything else escaping a reader (another
// exception type, a crash, a sanitizer report, a leak) is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <typeinfo>

#include "yono/compiler/error.h"

namespace yono::fuzz {

// A folder made with mkdtemp on first use, removed at exit; only this
// process writes there, so parallel fuzzers and a test run never collide.
const std::string& scratch_dir();

// Writes `size` bytes to <scratch_dir>/<name> (replacing it) and returns the
// path. Aborts when the file cannot be written: a harness failure, not a finding.
std::string write_scratch_file(const std::string& name, const uint8_t* data, size_t size);

// Removes everything inside the scratch folder (the folder stays).
void clear_scratch_dir();

// Reports on stderr that `what` broke its contract and aborts: libFuzzer
// records it as a crash with its input.
[[noreturn]] void report_bug(const char* what, const std::string& problem);
// With YONO_FUZZ_VERBOSE set, prints each refusal: to check that seeds
// reach past the first checks (`./run fuzz` never sets it).
void note_refusal(const char* what, const char* message);
[[noreturn]] void report_foreign_exception(const char* what, const char* type, const char* message);

// Runs `action`; a yono::Error is the expected refusal of bad input and is
// swallowed. Any other exception is reported on stderr and aborts, which
// libFuzzer records as a crash with its input.
template <typename Action>
void expect_only_yono_errors(const char* what, Action&& action) {
  try {
    action();
  } catch (const yono::Error& e) {
    note_refusal(what, e.what());  // the documented refusal of bad input
  } catch (const std::exception& e) {
    report_foreign_exception(what, typeid(e).name(), e.what());
  } catch (...) {
    report_foreign_exception(what, "(not a std::exception)", "");
  }
}

}  // namespace yono::fuzz
