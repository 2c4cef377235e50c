// The compress report: what `yono compress` chose and what it reached, as
// JSON beside the pack (--report) and as a table on the terminal. It says
// for every layer how it is stored and why, for every model its bytes and
// its validation accuracy (float, compressed, fine-tuned), and for a budget
// search (--flash-budget, --max-loss) every configuration it tried.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "yono/compiler/compress/compress.h"
#include "yono/pack.h"

namespace yono {

struct ModelOutcome {
  std::string name, file, task;  // task empty: not fine-tuned
  uint64_t float32_bytes = 0;    // the ONNX model's constants as float32
  uint64_t own_bytes = 0;        // its bytes in the pack, shared codebooks excluded
  // Validation accuracy in [0, 1]; -1 = not measured.
  double float_validation = -1, compressed_validation = -1, finetuned_validation = -1;
  // Mean validation cross-entropy (nats) of the same three; -1 = not measured.
  double float_validation_loss = -1, compressed_validation_loss = -1,
         finetuned_validation_loss = -1;
};

struct FinetuneSummary {
  std::string mode;  // "learned", "yono"
  int epochs = 0, batch = 0, best_epoch = 0, threads = 0;
  double lr = 0, seconds = 0;
  int64_t steps = 0;
  uint64_t seed = 0;
};

// One configuration a budget search tried.
struct SearchStep {
  std::string change;  // what differs from the configuration accepted before it
  uint64_t bytes = 0;  // the pack with this change
  bool accepted = false;
  std::string why;
};

struct CompressReport {
  std::string pack_file;
  uint64_t pack_bytes = 0;
  std::vector<std::string> command;  // the arguments as given
  std::vector<ModelOutcome> models;
  bool finetuned = false;
  FinetuneSummary finetune;
  std::string search_goal;  // "" or e.g. "--flash-budget 80000"
  std::vector<SearchStep> search;
};

uint64_t float32_bytes(const ir::Graph& g);  // every constant of the model as float32

// Fills pack_bytes and each model's own_bytes from the written pack.
void add_pack_sizes(CompressReport& report, const Pack& pack);

nlohmann::json report_json(const CompressReport& report, const CompressedModels& compressed);

// Per model: layers by encoding, bytes, ratio, validation accuracies; then
// the pack total. Lines end in '\n'.
std::string report_table(const CompressReport& report, const CompressedModels& compressed);

}  // namespace yono
