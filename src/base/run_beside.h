// Two pieces of work at once: the one piece of concurrency the lower layers need.
#pragma once

#include <functional>
#include <system_error>
#include <thread>

namespace piaudit {

// Runs `beside` on a new thread while the calling thread runs `here`, and returns when both are
// done. When no thread can be started (the process is at its limit, e.g. in a large batch), runs
// them one after the other: slower, never a crash.
template <typename Beside, typename Here>
void RunBeside(Beside&& beside, Here&& here) {
  std::thread helper;
  try {
    helper = std::thread(std::ref(beside));
  } catch (const std::system_error&) {
    beside();
  }
  struct Join {
    std::thread& thread;
    ~Join() {
      if (thread.joinable()) thread.join();
    }
  } join{helper};
  here();
}

}  // namespace piaudit
