// `yono train` and `yono eval`: the subcommands that link libtorch (through
// yono_train), declared apart from cli_common.h so the other commands stay
// independent of training.
#pragma once

namespace CLI {
class App;
}

namespace yono::cli {

void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);

}  // namespace yono::cli
