#include <gtest/gtest.h>

#include "data_test_support.h"
#include "yono/compiler/data/sensor_table_reader.h"

namespace yono::data {
namespace {

using test::expect_error_naming;
using test::TempDir;

TEST(SensorTable, CommasWhitespaceHeaderAndBlankLines) {
  TempDir dir;
  const std::string csv = dir.file("a.csv"), txt = dir.file("b.txt");
  test::write_text(csv, "ax, ay ,az\n1,2.5,-3\r\n\n4e-1, 5 ,6\n");
  test::write_text(txt, "  7\t8 9\n10 11 12\n\n");
  const SensorTable a = read_sensor_table(csv);
  EXPECT_EQ(a.columns, 3u);
  EXPECT_EQ(a.rows(), 2u);
  EXPECT_EQ(a.values, (std::vector<float>{1, 2.5f, -3, 0.4f, 5, 6}));
  const SensorTable b = read_sensor_table(txt);
  EXPECT_EQ(b.columns, 3u);
  EXPECT_EQ(b.values, (std::vector<float>{7, 8, 9, 10, 11, 12}));
}

TEST(SensorTable, RaggedRowNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.file("walk.csv");
  test::write_text(path, "x,y,z\n1,2,3\n4,5,6\n7,8\n");
  expect_error_naming(
      path + ":4", [&] { read_sensor_table(path); }, "ragged row: 2 values, but line 2 has 3");
}

TEST(SensorTable, BadValuesNameFileAndLine) {
  TempDir dir;
  const std::string word = dir.file("word.csv"), empty = dir.file("empty.csv"),
                    nan = dir.file("nan.txt"), nothing = dir.file("nothing.csv");
  test::write_text(word, "1,2\n3,oops\n");
  test::write_text(empty, "1,,2\n");
  test::write_text(nan, "1 2\nnan 3\n");
  test::write_text(nothing, "a,b\n\n");
  // A word after the first line is not a header.
  expect_error_naming(
      word + ":2", [&] { read_sensor_table(word); }, "'oops' is not a number (column 2)");
  expect_error_naming(
      empty + ":1", [&] { read_sensor_table(empty); }, "empty value");
  expect_error_naming(
      nan + ":2", [&] { read_sensor_table(nan); }, "is not a number");
  expect_error_naming(
      nothing, [&] { read_sensor_table(nothing); }, "no samples");
}

}  // namespace
}  // namespace yono::data
