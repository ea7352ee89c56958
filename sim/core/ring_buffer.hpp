// A growable FIFO ring buffer with power-of-two capacity: O(1) push/pop, no allocation once it has grown
// to the largest size a run needs (std::deque allocates a block every few hundred elements).
#pragma once

#include <cstddef>
#include <vector>

namespace dcsim {

template <class T>
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity = 16) {
    std::size_t c = 1;
    while (c < capacity) c <<= 1;
    buf_.resize(c);
  }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  void push_back(const T& v) {
    if (size_ == buf_.size()) grow();
    buf_[(head_ + size_) & (buf_.size() - 1)] = v;
    ++size_;
  }
  void push_front(const T& v) {
    if (size_ == buf_.size()) grow();
    head_ = (head_ + buf_.size() - 1) & (buf_.size() - 1);
    buf_[head_] = v;
    ++size_;
  }
  T& front() noexcept { return buf_[head_]; }
  const T& front() const noexcept { return buf_[head_]; }
  T& back() noexcept { return buf_[(head_ + size_ - 1) & (buf_.size() - 1)]; }
  T& operator[](std::size_t i) noexcept { return buf_[(head_ + i) & (buf_.size() - 1)]; }
  const T& operator[](std::size_t i) const noexcept { return buf_[(head_ + i) & (buf_.size() - 1)]; }
  T pop_front() noexcept {
    T v = buf_[head_];
    head_ = (head_ + 1) & (buf_.size() - 1);
    --size_;
    return v;
  }
  T pop_back() noexcept {
    --size_;
    return buf_[(head_ + size_) & (buf_.size() - 1)];
  }
  void clear() noexcept { head_ = size_ = 0; }

 private:
  void grow() {
    std::vector<T> nb(buf_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) nb[i] = buf_[(head_ + i) & (buf_.size() - 1)];
    buf_.swap(nb);
    head_ = 0;
  }
  std::vector<T> buf_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace dcsim
