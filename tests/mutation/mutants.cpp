// mutants list FILE...        one line per mutant: ID<TAB>FILE:LINE<TAB>RESULT<TAB>CHECK
// mutants apply ID FILE...    rewrites, in place, the one file mutant ID belongs to
//                             (IDs count across the files in the order given) and
//                             prints its path
// Used by `./run mutate` on a copy of the sources, never on the work tree.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mutant_finder.h"

namespace {

bool read(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

int usage() {
  std::fprintf(stderr, "usage: mutants list FILE... | mutants apply ID FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string command = argv[1];
  const bool apply = command == "apply";
  if (!apply && command != "list") return usage();
  long wanted = -1;
  int first_file = 2;
  if (apply) {
    char* end = nullptr;
    wanted = std::strtol(argv[2], &end, 10);
    if (*end != '\0' || wanted < 0 || argc < 4) return usage();
    first_file = 3;
  }
  long id = 0;
  for (int f = first_file; f < argc; ++f) {
    std::string source;
    if (!read(argv[f], &source)) {
      std::fprintf(stderr, "mutants: cannot read %s\n", argv[f]);
      return 2;
    }
    for (const yono::mutation::Mutant& m : yono::mutation::find_mutants(source)) {
      if (!apply) {
        std::printf("%ld\t%s:%d\t%s\t%s\n", id, argv[f], m.line, m.result.c_str(), m.check.c_str());
      } else if (id == wanted) {
        std::ofstream out(argv[f], std::ios::binary | std::ios::trunc);
        out << yono::mutation::apply_mutant(source, m);
        if (!out.flush()) {
          std::fprintf(stderr, "mutants: cannot write %s\n", argv[f]);
          return 2;
        }
        std::printf("%s:%d\n", argv[f], m.line);
        return 0;
      }
      ++id;
    }
  }
  if (apply) {
    std::fprintf(stderr, "mutants: no mutant %ld (there are %ld)\n", wanted, id);
    return 2;
  }
  return 0;
}
