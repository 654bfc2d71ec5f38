#include "sim/app/signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace bqsim::app {
namespace {

std::mutex manifest_mutex;
std::string manifest_path;  // empty until the outputs are being written

void stop(int sig) {
  // Held until the exit: the main thread puts the manifest in place under this lock
  // (write_run_outputs), so either it never does, or it has and the manifest is removed here.
  std::unique_lock<std::mutex> lock(manifest_mutex);
  if (!manifest_path.empty()) ::unlink(manifest_path.c_str());
  std::fprintf(stderr, "error: interrupted by %s; the run is incomplete (no manifest.json)\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stderr);
  // No unwinding: the engine is mid-run and its actors cannot be stopped cleanly.
  std::_Exit(128 + sig);
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void handle_stop_signals() {
  block_stop_signals();
  const sigset_t set = stop_signals();
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    stop(sig);
  }).detach();
}

std::mutex& manifest_lock() { return manifest_mutex; }

void outputs_begin(const std::string& dir) {
  std::lock_guard<std::mutex> lock(manifest_mutex);
  manifest_path = dir + "/manifest.json";
}

}  // namespace bqsim::app
