// `yono train` and `yono eval`: the subcommands that link libtorch (through
// yono_train), declared apart from cli_common.h so the other commands stay
// independent of training.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace yono::data {
struct Split;
}

namespace yono::cli {

void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);

// FNV-1a (64 bit) over the labels and float bytes of train, validation and
// test, as hex: identifies the exact data a model was trained and scored on.
std::string split_fingerprint(const data::Split& split);

}  // namespace yono::cli
