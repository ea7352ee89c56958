// A small, allocation-free callable for events.
//
// Events store their action inline (no std::function, no heap): any trivially copyable callable of at most
// Callback::kCapacity bytes, typically a lambda capturing `this` and one or two integers. State that does
// not fit belongs in the model object, which the lambda reaches through `this`.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace dcsim {

class Callback {
 public:
  static constexpr std::size_t kCapacity = 24;

  Callback() noexcept = default;

  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, Callback> && std::is_invocable_r_v<void, std::decay_t<F>&>)
  Callback(F&& f) noexcept {  // NOLINT(google-explicit-constructor): lambdas convert implicitly by design
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kCapacity,
                  "event action too large: capture `this` and at most two 64-bit values; keep other state "
                  "in the model object");
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "event actions must be trivially copyable (capture pointers and scalars, not containers)");
    static_assert(alignof(Fn) <= 8, "event actions must not need more than 8-byte alignment");
    ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
    invoke_ = [](void* p) { (*static_cast<Fn*>(p))(); };
  }

  void operator()() { invoke_(storage_); }
  explicit operator bool() const noexcept { return invoke_ != nullptr; }

 private:
  void (*invoke_)(void*) = nullptr;
  alignas(8) unsigned char storage_[kCapacity]{};
};

}  // namespace dcsim
