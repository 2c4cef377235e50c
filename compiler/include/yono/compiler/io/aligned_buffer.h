// Host memory for packs and arenas, with the 16-byte alignment the runtime
// wants for both (std::vector<uint8_t> only promises the alignment of
// uint8_t), or a larger power of two such as the device block size O_DIRECT
// reads need. The one aligned byte buffer of the host side: the tools, the
// measurements, fw_check and the tests all use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace yono {

class AlignedBuffer {
 public:
  static constexpr size_t kRuntimeAlignment = 16;

  // `size` zero bytes. The allocation is rounded up to a multiple of
  // `alignment` (a power of two); size() stays `size`. An empty buffer's
  // data() is nullptr, as a std::vector's is.
  explicit AlignedBuffer(size_t size, size_t alignment = kRuntimeAlignment)
      : data_(nullptr, Free{alignment}), size_(size) {
    if (size == 0) return;
    const size_t capacity = (size + alignment - 1) / alignment * alignment;
    data_.reset(static_cast<uint8_t*>(::operator new[](capacity, std::align_val_t{alignment})));
    std::memset(data_.get(), 0, capacity);
  }

  // An aligned copy of `bytes`, e.g. a pack read from a file.
  explicit AlignedBuffer(const std::vector<uint8_t>& bytes, size_t alignment = kRuntimeAlignment)
      : AlignedBuffer(bytes.size(), alignment) {
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
  }

  AlignedBuffer(AlignedBuffer&& other) noexcept
      : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    size_t alignment;
    void operator()(uint8_t* p) const { ::operator delete[](p, std::align_val_t{alignment}); }
  };
  std::unique_ptr<uint8_t[], Free> data_;
  size_t size_;
};

}  // namespace yono
