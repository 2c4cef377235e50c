// The .npy reader/writer is the CLI's only tensor I/O, so its error paths
// are checked here alongside the end-to-end runs that rely on it.
#include "yono/compiler/io/npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "e2e_util.h"
#include "yono/compiler/error.h"

namespace yono::e2e {
namespace {

// A hand-built file in the layout numpy writes, independent of encode_npy.
std::vector<uint8_t> npy_bytes(const std::string& header_dict, const std::vector<uint8_t>& data,
                               uint8_t major = 1) {
  std::string header = header_dict;
  const size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', major, 0};
  const size_t n = header.size();
  out.push_back(static_cast<uint8_t>(n));
  out.push_back(static_cast<uint8_t>(n >> 8));
  if (major != 1) {
    out.push_back(0);
    out.push_back(0);
  }
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

template <typename T>
std::vector<uint8_t> raw(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::string error_of(const std::vector<uint8_t>& bytes) {
  try {
    parse_npy(bytes, "x.npy");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Npy, ReadsFloat32AndFloat64) {
  const std::vector<float> f = {1.5f, -2.f, 3.25f, 0.f, 7.f, -0.125f};
  NpyArray a = parse_npy(
      npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", raw(f)), "a");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, f);

  const std::vector<double> d = {0.1, -1e3, 2.5};
  NpyArray b = parse_npy(
      npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", raw(d), 2), "b");
  EXPECT_EQ(b.shape, (std::vector<int64_t>{3}));
  ASSERT_EQ(b.data.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(b.data[i], static_cast<float>(d[i]));
}

TEST(Npy, ReadsTheCommittedFixtures) {
  const NpyArray x = read_npy(fixture("lenet5.input.npy"));
  EXPECT_EQ(x.shape, (std::vector<int64_t>{1, 1, 28, 28}));
  EXPECT_EQ(x.data.size(), 784u);
}

TEST(Npy, WriteThenReadRoundTrips) {
  ScratchDir dir;
  const std::vector<float> v = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, 8.f, 9.f, 10.f};
  write_npy(dir.path("y.npy"), {1, 10}, v);
  const NpyArray back = read_npy(dir.path("y.npy"));
  EXPECT_EQ(back.shape, (std::vector<int64_t>{1, 10}));
  EXPECT_EQ(back.data, v);
  // numpy aligns the data start to 64 bytes; check we do too.
  const std::vector<uint8_t> bytes = encode_npy({1, 10}, v);
  EXPECT_EQ((bytes.size() - v.size() * 4) % 64, 0u);
}

TEST(Npy, RejectsBadFilesWithTheirName) {
  const std::vector<uint8_t> four = raw(std::vector<float>{1, 2, 3, 4});
  EXPECT_NE(error_of({'n', 'o', 'p', 'e', 0, 0, 0, 0, 0, 0}).find("bad magic"), std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", four))
                .find("unsupported dtype '<i4'"),
            std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", four))
                .find("unsupported dtype"),
            std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", four))
                .find("Fortran"),
            std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", four))
                .find("truncated data"),
            std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", four))
                .find("unexpected bytes"),
            std::string::npos);
  std::vector<uint8_t> cut = npy_bytes("{'descr': '<f4', 'fortran_order': False, }", four);
  EXPECT_NE(error_of(cut).find("no 'shape'"), std::string::npos);
  cut.resize(20);  // header length now points past the end
  EXPECT_NE(error_of(cut).find("truncated .npy header"), std::string::npos);
  EXPECT_EQ(error_of(cut).rfind("x.npy: ", 0), 0u) << "message starts with the file name";
}

TEST(Npy, EncodeRejectsShapeMismatch) {
  EXPECT_THROW(encode_npy({2, 3}, {1.f, 2.f}), Error);
}

}  // namespace
}  // namespace yono::e2e
