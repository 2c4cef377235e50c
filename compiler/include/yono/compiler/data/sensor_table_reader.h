// One sensor recording as a text table: a line per sample, one column per
// channel, values separated by commas and/or whitespace (CSV exports and
// plain "x y z" logs alike). A first line that holds no number at all is a
// header ("ax,ay,az") and skipped; blank lines are skipped.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace yono::data {

struct SensorTable {
  size_t columns = 0;
  std::vector<float> values;  // rows x columns, row-major (time-major)
  size_t rows() const { return columns == 0 ? 0 : values.size() / columns; }
};

// Throws yono::Error naming "file:line" on a value that is not a finite
// number, an empty field or a row with another column count than the first
// (a ragged row), and naming the file when it holds no rows.
SensorTable read_sensor_table(const std::string& path);

}  // namespace yono::data
