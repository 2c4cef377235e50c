#include "mutant_finder.h"

#include <cctype>
#include <regex>

namespace yono::mutation {
namespace {

// Comments and string/char literals become spaces (newlines kept), so
// offsets and line numbers stay those of the original.
std::string blank_comments(const std::string& s) {
  std::string out = s;
  size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 2, "//") == 0) {
      while (i < s.size() && s[i] != '\n') out[i++] = ' ';
    } else if (s.compare(i, 2, "/*") == 0) {
      const size_t end = s.find("*/", i + 2);
      const size_t stop = end == std::string::npos ? s.size() : end + 2;
      for (; i < stop; ++i)
        if (s[i] != '\n') out[i] = ' ';
    } else if (s[i] == '"' || s[i] == '\'') {
      const char quote = s[i++];
      while (i < s.size() && s[i] != quote) {
        if (s[i] == '\\') out[i++] = ' ';
        if (i < s.size()) out[i++] = ' ';
      }
      ++i;
    } else {
      ++i;
    }
  }
  return out;
}

int line_of(const std::string& s, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) line += s[i] == '\n';
  return line;
}

std::string one_line(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      out += c;
      space = false;
    }
  }
  return out;
}

size_t skip_space_back(const std::string& s, size_t end) {  // end: one past
  while (end > 0 && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return end;
}

size_t skip_space(const std::string& s, size_t i, size_t end) {
  while (i < end && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// Index of the '(' matching the ')' at `close`, or npos.
size_t matching_open(const std::string& s, size_t close) {
  int depth = 0;
  for (size_t i = close + 1; i-- > 0;) {
    if (s[i] == ')') ++depth;
    if (s[i] == '(' && --depth == 0) return i;
  }
  return std::string::npos;
}

struct Span {
  size_t begin, end;  // [begin, end), trimmed
};

// Top-level operands of `op` ("||" or "&&") in s[begin, end).
std::vector<Span> split_top(const std::string& s, size_t begin, size_t end, const char* op) {
  std::vector<Span> parts;
  int depth = 0;
  size_t start = begin;
  for (size_t i = begin; i < end; ++i) {
    if (s[i] == '(' || s[i] == '[' || s[i] == '{') ++depth;
    if (s[i] == ')' || s[i] == ']' || s[i] == '}') --depth;
    if (depth == 0 && s.compare(i, 2, op) == 0) {
      parts.push_back({start, i});
      start = i + 2;
      ++i;
    }
  }
  parts.push_back({start, end});
  for (Span& p : parts) {
    p.begin = skip_space(s, p.begin, p.end);
    p.end = skip_space_back(s, p.end);
  }
  return parts;
}

bool wrapped_in_parens(const std::string& s, const Span& p) {
  return p.end > p.begin + 1 && s[p.begin] == '(' && s[p.end - 1] == ')' &&
         matching_open(s, p.end - 1) == p.begin;
}

// The operands of a condition that can each be dropped alone.
void droppable_operands(const std::string& s, Span cond, std::vector<Span>* out) {
  const std::vector<Span> ors = split_top(s, cond.begin, cond.end, "||");
  if (ors.size() > 1) {
    out->insert(out->end(), ors.begin(), ors.end());
    return;
  }
  // `A && (B || C)`: each of B and C is a check of its own.
  const std::vector<Span> ands = split_top(s, cond.begin, cond.end, "&&");
  const size_t before = out->size();
  if (ands.size() > 1) {
    for (const Span& a : ands) {
      if (!wrapped_in_parens(s, a)) continue;
      const Span inner{a.begin + 1, a.end - 1};
      if (split_top(s, inner.begin, inner.end, "||").size() > 1) droppable_operands(s, inner, out);
    }
  }
  if (out->size() == before) out->push_back(cond);
}

bool is_comparison(const std::string& expr) {
  // clang-format puts spaces around binary operators, never inside `<T>`.
  static const std::regex kCompare(R"( (<=|>=|==|!=|<|>) )");
  return std::regex_search(expr, kCompare);
}

// `f(...)` or `T(...)` as a whole: a value built from a comparison, not one.
bool is_call(const std::string& expr) {
  static const std::regex kCall(R"(^[A-Za-z_][\w:]*\(.*\)$)");
  return std::regex_match(expr, kCall) && matching_open(expr, expr.size() - 1) == expr.find('(');
}

}  // namespace

std::vector<Mutant> find_mutants(const std::string& source) {
  const std::string s = blank_comments(source);
  std::vector<Mutant> mutants;
  static const std::regex kReturn(R"(\breturn\s+([^;]*);)");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kReturn); it != std::sregex_iterator();
       ++it) {
    const size_t at = static_cast<size_t>(it->position(0));
    const size_t len = static_cast<size_t>(it->length(0));
    const std::string value = one_line((*it)[1].str());
    const bool refusal =
        value == "false" || (value.rfind("Status::k", 0) == 0 && value != "Status::kOk" &&
                             value.find_first_of("(") == std::string::npos);
    if (!refusal) {
      // A helper's verdict: `return in <= limit;` passes everything instead.
      if (value != "true" && value.find("Status") == std::string::npos && is_comparison(value) &&
          !is_call(value)) {
        const size_t expr = static_cast<size_t>(it->position(1));
        mutants.push_back({expr, static_cast<size_t>(it->length(1)), "true", line_of(s, at),
                           one_line(source.substr(expr, static_cast<size_t>(it->length(1)))),
                           "its comparison"});
      }
      continue;
    }
    // Directly under an `if`?  `if (COND) return X;` or `if (COND) { return X;`
    size_t p = skip_space_back(s, at);
    if (p > 0 && s[p - 1] == '{') p = skip_space_back(s, p - 1);
    size_t open = std::string::npos;
    if (p > 0 && s[p - 1] == ')') {
      open = matching_open(s, p - 1);
      if (open != std::string::npos) {
        const size_t kw = skip_space_back(s, open);
        const bool is_if = kw >= 2 && s.compare(kw - 2, 2, "if") == 0 &&
                           (kw == 2 || !std::isalnum(static_cast<unsigned char>(s[kw - 3])));
        if (!is_if) open = std::string::npos;
      }
    }
    if (open == std::string::npos) {
      // Deleted; a helper's `return false;` (maybe its last statement,
      // which could not be deleted) says yes instead.
      const bool verdict = value == "false";
      mutants.push_back({at, len, verdict ? "return true;" : ";", line_of(s, at),
                         one_line(source.substr(at, len)), value});
      continue;
    }
    std::vector<Span> operands;
    droppable_operands(s, {skip_space(s, open + 1, p - 1), skip_space_back(s, p - 1)}, &operands);
    for (const Span& o : operands) {
      mutants.push_back({o.begin, o.end - o.begin, "false", line_of(s, at),
                         one_line(source.substr(o.begin, o.end - o.begin)), value});
    }
  }
  return mutants;
}

std::string apply_mutant(const std::string& source, const Mutant& m) {
  std::string out = source;
  out.replace(m.offset, m.length, m.replacement);
  return out;
}

}  // namespace yono::mutation
