// The mutants ./run mutate builds: each must delete exactly one check and
// leave the rest of the source as it was.
#include "mutant_finder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace yono::mutation {
namespace {

std::vector<std::string> applied(const std::string& src) {
  std::vector<std::string> out;
  for (const Mutant& m : find_mutants(src)) out.push_back(apply_mutant(src, m));
  return out;
}

TEST(MutantFinder, EachOperandOfAnOrIsDroppedAlone) {
  const std::string src = "Status f() {\n  if (a == 0 || b > c) return Status::kBadOp;\n}\n";
  const std::vector<Mutant> ms = find_mutants(src);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].check, "a == 0");
  EXPECT_EQ(ms[1].check, "b > c");
  EXPECT_EQ(ms[0].result, "Status::kBadOp");
  EXPECT_EQ(ms[0].line, 2);
  EXPECT_EQ(apply_mutant(src, ms[0]),
            "Status f() {\n  if (false || b > c) return Status::kBadOp;\n}\n");
  EXPECT_EQ(apply_mutant(src, ms[1]),
            "Status f() {\n  if (a == 0 || false) return Status::kBadOp;\n}\n");
}

TEST(MutantFinder, GroupedOrUnderAndIsSplitAndBlockFormCounts) {
  const std::string src =
      "  if (s != 0 &&\n      (v == 1 || s % 16 != 0)) {\n    return Status::kBadModel;\n  }\n";
  EXPECT_EQ(
      applied(src),
      (std::vector<std::string>{
          "  if (s != 0 &&\n      (false || s % 16 != 0)) {\n    return Status::kBadModel;\n  }\n",
          "  if (s != 0 &&\n      (v == 1 || false)) {\n    return Status::kBadModel;\n  }\n"}));
}

TEST(MutantFinder, SingleConditionBecomesFalse) {
  EXPECT_EQ(applied("for (w : ws) if (w != 0) return false;"),
            std::vector<std::string>{"for (w : ws) if (false) return false;"});
  // Parenthesised sub-expressions stay whole.
  EXPECT_EQ(applied("if (!(x > 0.0f && x <= M)) return Status::kBadTensor;"),
            std::vector<std::string>{"if (false) return Status::kBadTensor;"});
}

TEST(MutantFinder, UnguardedRefusalIsDeleted) {
  EXPECT_EQ(applied("if (a) { x = 1; } else {\n  return Status::kBadTensor;\n}"),
            std::vector<std::string>{"if (a) { x = 1; } else {\n  ;\n}"});
  EXPECT_EQ(applied("switch (k) { default: return Status::kBadParams; }"),
            std::vector<std::string>{"switch (k) { default: ; }"});
  // A statement before it in the block: deleting the return is the mutant.
  EXPECT_EQ(applied("if (a) { n = 2; return Status::kBadOp; }"),
            std::vector<std::string>{"if (a) { n = 2; ; }"});
}

TEST(MutantFinder, ComparisonVerdictPassesEverything) {
  EXPECT_EQ(applied("bool ok(int lo, int hi) { return lo <= hi; }"),
            std::vector<std::string>{"bool ok(int lo, int hi) { return true; }"});
  // Not checks: success, propagated statuses, pointers, casts, literals.
  EXPECT_TRUE(find_mutants("return Status::kOk; return st; return true; return p;"
                           " return reinterpret_cast<float*>(a + b); return f(Status::kBadOp);"
                           " return Values(w + o, t == 4);")
                  .empty());
}

TEST(MutantFinder, CommentsAndStringsAreIgnored) {
  const std::string src =
      "// if (x) return Status::kBadOp;\n"
      "/* return false; */ s = \"return false;\";\n"
      "if (n == 0) return Status::kBadOp;  // (why)\n";
  const std::vector<Mutant> ms = find_mutants(src);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].line, 3);
  EXPECT_EQ(ms[0].check, "n == 0");
  // The check is quoted from the source, literals and all.
  EXPECT_EQ(find_mutants("if (s[n] == '\\0') return false;")[0].check, "s[n] == '\\0'");
}

TEST(MutantFinder, NotAnIfKeywordIsNotAGuard) {
  // `(x)` before the return belongs to a call, so the return is deleted.
  EXPECT_EQ(applied("g(x); return Status::kBadOp;"), std::vector<std::string>{"g(x); ;"});
  // `elif(` is not `if (`.
  EXPECT_EQ(applied("elif(x) return false;"), std::vector<std::string>{"elif(x) return true;"});
  // A helper's unguarded `return false;` says yes instead.
  EXPECT_EQ(applied("bool f() { for (;;) {} return false; }"),
            std::vector<std::string>{"bool f() { for (;;) {} return true; }"});
}

}  // namespace
}  // namespace yono::mutation
