// The two shapes of concurrency the libraries use: two different pieces of work at once, and one
// piece of work split into units over a few threads. Both run everything on the calling thread
// when no thread can be started (the process is at its limit, e.g. in a large batch): slower,
// never a crash.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

namespace piaudit {

namespace internal {
// Joins the threads it holds when the caller's part ends, by return or by exception.
struct JoinAll {
  std::vector<std::thread>& threads;
  ~JoinAll() {
    for (std::thread& t : threads)
      if (t.joinable()) t.join();
  }
};
}  // namespace internal

// Runs `beside` on a new thread while the calling thread runs `here`, and returns when both are
// done.
template <typename Beside, typename Here>
void RunBeside(Beside&& beside, Here&& here) {
  std::vector<std::thread> helper;
  try {
    helper.emplace_back(std::ref(beside));
  } catch (const std::system_error&) {
    beside();
  }
  internal::JoinAll join{helper};
  here();
}

// Runs fn(u) for every unit u in [0, units) on up to `threads` threads, the calling thread being
// one of them: unit u on thread u % n, so no two threads share a unit and results can land in
// per-unit slots. A thread that cannot be started has its units run by the caller.
template <typename Fn>
void RunUnits(size_t units, uint32_t threads, Fn&& fn) {
  const size_t n = std::min<size_t>(std::max<uint32_t>(threads, 1), units);
  if (n <= 1) {
    for (size_t u = 0; u < units; ++u) fn(u);
    return;
  }
  const auto share = [&](size_t t) {
    for (size_t u = t; u < units; u += n) fn(u);
  };
  std::vector<std::thread> pool;
  std::vector<size_t> not_started;
  pool.reserve(n - 1);
  for (size_t t = 1; t < n; ++t) {
    try {
      pool.emplace_back(share, t);
    } catch (const std::system_error&) {
      not_started.push_back(t);
    }
  }
  internal::JoinAll join{pool};
  share(0);
  for (size_t t : not_started) share(t);
}

}  // namespace piaudit
