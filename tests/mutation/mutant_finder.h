// Finds the checks of a C++ source file and the mutants that delete them,
// for `./run mutate` (docs/TESTING.md, "Mutation test of the validator").
//
// A check is a refusal: `return Status::kX;` (any status but kOk) or
// `return false;`, and a bool expression returned by a helper
// (`return lo <= hi;`). Mutants, each one edit of the original text:
//   - `if (A || B || C) return Status::kX;` gives one mutant per operand,
//     that operand replaced by `false` (the other operands still refuse);
//     an operand `(D || E)` under a top-level `&&` is split the same way;
//     a single condition is replaced by `false` as a whole.
//   - a refusal not directly under an `if` (`else`, `default:`, after
//     other statements in a block) is deleted.
//   - `return <comparison>;` becomes `return true;` (the check passes
//     everything).
// Comments and string literals are blanked before parsing, so a `)` or
// `return` inside them never counts; edits apply to the original text.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace yono::mutation {

struct Mutant {
  size_t offset = 0;  // of the replaced text in the file
  size_t length = 0;
  std::string replacement;
  int line = 0;        // 1-based line of the refusal
  std::string check;   // the condition (or statement) deleted, one line
  std::string result;  // what the check returned: `Status::kBadOp`, `false`
};

std::vector<Mutant> find_mutants(const std::string& source);

// `source` with `m` applied.
std::string apply_mutant(const std::string& source, const Mutant& m);

}  // namespace yono::mutation
