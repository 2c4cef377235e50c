#include "yono/compiler/data/idx_reader.h"

#include <zlib.h>

#include <memory>

#include "yono/compiler/error.h"

namespace yono::data {
namespace {

constexpr uint8_t kUnsignedByte = 0x08;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

// Reads the whole (decompressed) stream so that a lying header can never make
// us allocate more than the file really holds.
std::vector<uint8_t> read_all(const std::string& path) {
  // gzopen reads uncompressed files transparently, so both forms are accepted.
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw Error(path + ": cannot open");
  std::vector<uint8_t> content;
  // 64 KiB per gzread: large files still read in few calls, and a small one
  // does not pay for zeroing (and faulting in) a megabyte.
  std::vector<uint8_t> chunk(1 << 16);
  for (;;) {
    const int got = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (got < 0) {
      int code = 0;
      const char* why = gzerror(file.get(), &code);
      throw Error(path + ": corrupt gzip stream (" + why + ")");
    }
    if (got == 0) break;
    content.insert(content.end(), chunk.begin(), chunk.begin() + got);
  }
  // gzread returns 0 at a truncated gzip member too; gzerror tells the two apart.
  int code = 0;
  const char* why = gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END) {
    throw Error(path + ": truncated or corrupt gzip stream (" + why + ")");
  }
  return content;
}

uint32_t big_endian_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  const std::vector<uint8_t> content = read_all(path);
  if (content.size() < 4) throw Error(path + ": truncated IDX header");
  if (content[0] != 0 || content[1] != 0) throw Error(path + ": bad IDX magic");
  if (content[2] != kUnsignedByte) {
    throw Error(path + ": IDX element type " + std::to_string(content[2]) +
                " is not unsigned byte (8)");
  }
  const size_t rank = content[3];
  if (rank == 0) throw Error(path + ": IDX rank 0");
  if (content.size() < 4 + 4 * rank) throw Error(path + ": truncated IDX header");
  IdxArray array;
  uint64_t count = 1;
  for (size_t i = 0; i < rank; ++i) {
    array.dims.push_back(big_endian_u32(&content[4 + 4 * i]));
    count *= array.dims.back();
    if (count > content.size()) break;  // already too big; reported below
  }
  const size_t payload = content.size() - 4 - 4 * rank;
  if (count > payload) {
    throw Error(path + ": truncated IDX data (header says " + std::to_string(count) +
                " bytes, file has " + std::to_string(payload) + ")");
  }
  if (count < payload) throw Error(path + ": trailing bytes after IDX data");
  array.bytes.assign(content.begin() + static_cast<long>(4 + 4 * rank), content.end());
  return array;
}

Dataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         const std::vector<std::string>& class_names) {
  const IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3) {
    throw Error(images_path + ": expected 3 IDX dimensions (N x H x W), found " +
                std::to_string(images.dims.size()));
  }
  if (labels.dims.size() != 1) {
    throw Error(labels_path + ": expected 1 IDX dimension (N), found " +
                std::to_string(labels.dims.size()));
  }
  if (labels.dims[0] != images.dims[0]) {
    throw Error(labels_path + ": " + std::to_string(labels.dims[0]) + " labels for " +
                std::to_string(images.dims[0]) + " images in " + images_path);
  }
  Dataset out;
  out.sample_dims = {1, images.dims[1], images.dims[2]};
  out.class_names = class_names;
  out.samples.resize(images.bytes.size());
  for (size_t i = 0; i < images.bytes.size(); ++i) out.samples[i] = images.bytes[i] / 255.0f;
  out.labels.reserve(labels.bytes.size());
  for (size_t i = 0; i < labels.bytes.size(); ++i) {
    if (labels.bytes[i] >= class_names.size()) {
      throw Error(labels_path + ": label " + std::to_string(labels.bytes[i]) + " at item " +
                  std::to_string(i) + " is not below the class count " +
                  std::to_string(class_names.size()));
    }
    out.labels.push_back(labels.bytes[i]);
  }
  return out;
}

}  // namespace yono::data
