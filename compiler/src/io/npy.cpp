#include "yono/compiler/io/npy.h"

#include <cctype>
#include <cstring>
#include <limits>

#include "yono/compiler/error.h"
#include "yono/compiler/io/file_io.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "npy.cpp copies '<f4' payloads as host floats and needs a little-endian host"
#endif

namespace yono {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// numpy pads the header so the data starts on this boundary.
constexpr size_t kHeaderAlign = 64;
// Far above any model input; keeps element counts and byte sizes from overflowing.
constexpr int64_t kMaxElements = int64_t{1} << 31;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw Error(name + ": " + problem);
}

// The header is a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10), }
// so a small scanner for the three keys suffices; we never evaluate it.
class HeaderScanner {
 public:
  HeaderScanner(const std::string& header, const std::string& name)
      : header_(header), name_(name) {}

  // Positions the cursor just after "'key':".
  void seek_key(const char* key) {
    for (const char quote : {'\'', '"'}) {
      const std::string quoted = std::string(1, quote) + key + quote;
      const size_t at = header_.find(quoted);
      if (at == std::string::npos) continue;
      pos_ = at + quoted.size();
      skip_spaces();
      if (pos_ < header_.size() && header_[pos_] == ':') {
        ++pos_;
        skip_spaces();
        return;
      }
    }
    fail(name_, std::string("malformed .npy header: no '") + key + "' entry");
  }

  std::string read_string() {
    if (pos_ >= header_.size() || (header_[pos_] != '\'' && header_[pos_] != '"')) {
      fail(name_, "malformed .npy header: expected a quoted string");
    }
    const char quote = header_[pos_++];
    const size_t end = header_.find(quote, pos_);
    if (end == std::string::npos) fail(name_, "malformed .npy header: unterminated string");
    std::string value = header_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return value;
  }

  bool read_bool() {
    if (header_.compare(pos_, 4, "True") == 0) return true;
    if (header_.compare(pos_, 5, "False") == 0) return false;
    fail(name_, "malformed .npy header: fortran_order is not True/False");
  }

  std::vector<int64_t> read_shape() {
    if (pos_ >= header_.size() || header_[pos_] != '(') {
      fail(name_, "malformed .npy header: shape is not a tuple");
    }
    ++pos_;
    std::vector<int64_t> shape;
    for (;;) {
      skip_spaces();
      if (pos_ >= header_.size()) fail(name_, "malformed .npy header: unterminated shape");
      if (header_[pos_] == ')') return shape;
      if (!std::isdigit(static_cast<unsigned char>(header_[pos_]))) {
        fail(name_, "malformed .npy header: bad shape dimension");
      }
      int64_t dim = 0;
      while (pos_ < header_.size() && std::isdigit(static_cast<unsigned char>(header_[pos_]))) {
        dim = dim * 10 + (header_[pos_++] - '0');
        if (dim > kMaxElements) fail(name_, "array too large");
      }
      shape.push_back(dim);
      skip_spaces();
      if (pos_ < header_.size() && header_[pos_] == ',') ++pos_;
    }
  }

 private:
  void skip_spaces() {
    while (pos_ < header_.size() && header_[pos_] == ' ') ++pos_;
  }

  const std::string& header_;
  const std::string& name_;
  size_t pos_ = 0;
};

uint32_t read_le(const uint8_t* p, size_t bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < bytes; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}

int64_t checked_count(const std::vector<int64_t>& shape, const std::string& name) {
  int64_t count = 1;
  for (const int64_t d : shape) {
    if (d < 0) fail(name, "negative dimension in shape");
    if (d != 0 && count > kMaxElements / d) fail(name, "array too large");
    count *= d;
  }
  return count;
}

std::string shape_tuple(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";  // Python's one-element tuple
  return s + ")";
}

}  // namespace

NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& name) {
  if (bytes.size() < kMagicSize + 2 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0) {
    fail(name, "not a .npy file (bad magic)");
  }
  const uint8_t major = bytes[6];
  size_t header_start = 0;
  size_t header_len = 0;
  if (major == 1) {
    header_start = 10;
    if (bytes.size() < header_start) fail(name, "truncated .npy header");
    header_len = read_le(&bytes[8], 2);
  } else if (major == 2 || major == 3) {  // 3 only changes the header's text encoding
    header_start = 12;
    if (bytes.size() < header_start) fail(name, "truncated .npy header");
    header_len = read_le(&bytes[8], 4);
  } else {
    fail(name, "unsupported .npy format version " + std::to_string(major));
  }
  if (header_len > bytes.size() - header_start) fail(name, "truncated .npy header");
  const std::string header(reinterpret_cast<const char*>(&bytes[header_start]), header_len);

  HeaderScanner scan(header, name);
  scan.seek_key("descr");
  const std::string descr = scan.read_string();
  size_t item_size = 0;
  if (descr == "<f4") {
    item_size = 4;
  } else if (descr == "<f8") {
    item_size = 8;
  } else {
    fail(name, "unsupported dtype '" + descr + "' (expected float32 '<f4' or float64 '<f8')");
  }
  scan.seek_key("fortran_order");
  if (scan.read_bool()) fail(name, "Fortran-order arrays are not supported (save in C order)");
  scan.seek_key("shape");

  NpyArray array;
  array.shape = scan.read_shape();
  const int64_t count = checked_count(array.shape, name);
  const size_t data_start = header_start + header_len;
  const size_t data_bytes = static_cast<size_t>(count) * item_size;
  const size_t available = bytes.size() - data_start;
  if (available < data_bytes) {
    fail(name, "truncated data: shape " + shape_tuple(array.shape) + " needs " +
                   std::to_string(data_bytes) + " bytes, file has " + std::to_string(available));
  }
  if (available > data_bytes) {
    fail(name, std::to_string(available - data_bytes) + " unexpected bytes after the data");
  }

  array.data.resize(static_cast<size_t>(count));
  // An empty array has no data bytes: &bytes[data_start] would index past
  // the end and memcpy would get a null destination (both undefined).
  if (count == 0) return array;
  const uint8_t* src = bytes.data() + data_start;
  if (item_size == 4) {
    std::memcpy(array.data.data(), src, data_bytes);
  } else {
    for (size_t i = 0; i < array.data.size(); ++i) {
      double v;
      std::memcpy(&v, src + i * 8, 8);
      array.data[i] = static_cast<float>(v);
    }
  }
  return array;
}

NpyArray read_npy(const std::string& path) {
  return parse_npy(read_file(path), path);
}

std::vector<uint8_t> encode_npy(const std::vector<int64_t>& shape, const std::vector<float>& data) {
  const int64_t count = checked_count(shape, "npy output");
  if (static_cast<size_t>(count) != data.size()) {
    throw Error("npy output: shape " + shape_tuple(shape) + " holds " + std::to_string(count) +
                " values, got " + std::to_string(data.size()));
  }
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape_tuple(shape) + ", }";
  const size_t prefix = kMagicSize + 2 + 2;            // magic, version, u16 header length
  const size_t unpadded = prefix + header.size() + 1;  // + the closing newline
  header.append((kHeaderAlign - unpadded % kHeaderAlign) % kHeaderAlign, ' ');
  header += '\n';

  std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
  out.push_back(1);  // version 1.0
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const size_t data_start = out.size();
  out.resize(data_start + data.size() * sizeof(float));
  if (!data.empty()) std::memcpy(&out[data_start], data.data(), data.size() * sizeof(float));
  return out;
}

void write_npy(const std::string& path, const std::vector<int64_t>& shape,
               const std::vector<float>& data) {
  write_file_atomic(path, encode_npy(shape, data));
}

}  // namespace yono
