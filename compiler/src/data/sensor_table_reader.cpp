#include "yono/compiler/data/sensor_table_reader.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "yono/compiler/error.h"

namespace yono::data {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Splits a line into fields: commas separate (an empty field between two is
// kept, to be refused), and so does whitespace.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  const bool commas = line.find(',') != std::string::npos;
  for (;;) {
    const size_t comma = commas ? line.find(',', start) : std::string::npos;
    const std::string part =
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t words = 0;
    for (size_t i = 0; i < part.size();) {
      while (i < part.size() && is_space(part[i])) ++i;
      if (i == part.size()) break;
      size_t j = i;
      while (j < part.size() && !is_space(part[j])) ++j;
      fields.push_back(part.substr(i, j - i));
      ++words;
      i = j;
    }
    if (commas && words == 0) fields.emplace_back();  // "1,,2": an empty field
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

bool parse_value(const std::string& field, float* value) {
  if (field.empty()) return false;
  char* end = nullptr;
  *value = std::strtof(field.c_str(), &end);
  return end == field.c_str() + field.size() && std::isfinite(*value);
}

}  // namespace

SensorTable read_sensor_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  SensorTable table;
  size_t first_row_line = 0;
  std::string line;
  bool seen_content = false;
  for (size_t line_no = 1; std::getline(in, line); ++line_no) {
    const std::vector<std::string> fields = fields_of(line);
    if (fields.empty()) continue;
    std::vector<float> row(fields.size());
    size_t numbers = 0, bad = fields.size();
    for (size_t i = 0; i < fields.size(); ++i) {
      if (parse_value(fields[i], &row[i])) {
        ++numbers;
      } else if (bad == fields.size()) {
        bad = i;
      }
    }
    const bool header = !seen_content && numbers == 0;
    seen_content = true;
    if (header) continue;
    const std::string where = path + ":" + std::to_string(line_no);
    if (bad < fields.size())
      throw Error(where + ": " +
                  (fields[bad].empty() ? std::string("empty value")
                                       : "'" + fields[bad] + "' is not a number") +
                  " (column " + std::to_string(bad + 1) + ")");
    if (table.columns == 0) {
      table.columns = fields.size();
      first_row_line = line_no;
    } else if (fields.size() != table.columns) {
      throw Error(where + ": ragged row: " + std::to_string(fields.size()) + " values, but line " +
                  std::to_string(first_row_line) + " has " + std::to_string(table.columns));
    }
    table.values.insert(table.values.end(), row.begin(), row.end());
  }
  if (table.values.empty()) throw Error(path + ": no samples");
  return table;
}

}  // namespace yono::data
