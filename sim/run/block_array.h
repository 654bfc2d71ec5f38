// An array of trivially copyable elements for tens of millions of entries (the native
// engine's heap). It lives in its own mapping, on huge pages, and grows by remapping: the
// elements never move through the CPU, and the old and new storage are never held at once (a
// std::vector that doubles briefly holds three times its contents, and copies them all).
#pragma once

#include <cstddef>
#include <type_traits>

namespace bqsim {

// A mapping of at least `bytes` (rounded up to huge pages); `remap_pages` moves one to a
// larger size, keeping its contents. Both throw std::bad_alloc when the kernel refuses.
void* map_pages(size_t bytes);
void* remap_pages(void* p, size_t old_bytes, size_t new_bytes);
void unmap_pages(void* p, size_t bytes);
size_t page_rounded(size_t bytes);

template <class T>
class BlockArray {
  static_assert(std::is_trivially_copyable_v<T>, "elements are moved by remapping pages");

 public:
  BlockArray() = default;
  BlockArray(const BlockArray&) = delete;
  BlockArray& operator=(const BlockArray&) = delete;
  ~BlockArray() {
    if (data_ != nullptr) unmap_pages(data_, capacity_ * sizeof(T));
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  void push_back(const T& x) {
    if (size_ == capacity_) grow();
    data_[size_++] = x;
  }
  void pop_back() { --size_; }

 private:
  void grow() {
    // Virtual size only: untouched pages cost nothing, so doubling wastes no memory.
    const size_t bytes = page_rounded(capacity_ == 0 ? sizeof(T) : 2 * capacity_ * sizeof(T));
    data_ = static_cast<T*>(data_ == nullptr
                                ? map_pages(bytes)
                                : remap_pages(data_, capacity_ * sizeof(T), bytes));
    capacity_ = bytes / sizeof(T);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace bqsim
