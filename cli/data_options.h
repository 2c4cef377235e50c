// The data-folder flags shared by `yono train --data`, `yono eval --data` and
// `yono compress --data MODEL=DIR` (data_spec.h's UserDataOptions), and the
// stderr line that says what a folder turned out to hold.
#pragma once

#include <string>
#include <vector>

#include "yono/compiler/data/data_spec.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace yono::cli {

struct DataArgs {
  data::UserDataOptions options;
  std::string resize;               // --resize HxW, parsed into options
  std::vector<CLI::Option*> flags;  // every data-folder flag, to refuse them without --data
};

void add_data_options(CLI::App& cmd, DataArgs& a);

// The options with --resize parsed. Throws yono::Error on a malformed
// --resize, or on any data-folder flag when no data folder was given (it
// would be ignored).
data::UserDataOptions data_options(const DataArgs& a, bool have_data_folder);

// "yono: data: <describe(d)>" on stderr.
// --task T or --data DIR (exactly one) with the data options, as train and
// eval take them; throws yono::Error on neither or both.
data::DataSpec data_spec(const std::string& task, const std::string& dir, const DataArgs& a);

void print_data_description(const data::DataDescription& d);

}  // namespace yono::cli
