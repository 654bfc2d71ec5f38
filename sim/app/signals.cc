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
  std::string manifest;
  {
    std::lock_guard<std::mutex> lock(manifest_mutex);
    manifest = manifest_path;
  }
  if (!manifest.empty()) ::unlink(manifest.c_str());
  std::fprintf(stderr, "error: interrupted by %s; the run is incomplete (no manifest.json)\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stderr);
  // Again: the main thread may have been renaming the manifest into place meanwhile.
  if (!manifest.empty()) ::unlink(manifest.c_str());
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

void outputs_begin(const std::string& dir) {
  std::lock_guard<std::mutex> lock(manifest_mutex);
  manifest_path = dir + "/manifest.json";
}

}  // namespace bqsim::app
