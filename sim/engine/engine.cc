#include "sim/engine/engine.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sim/engine/simulation.h"

// After s4u.hpp (via simulation.h): version.h needs the xbt macros it defines.
#include <simgrid/version.h>

namespace bqsim {

RunStats run_simgrid(Runtime& runtime) {
  engine::Simulation sim(runtime);
  return sim.run();
}

std::string check_platform_file(const std::string& path) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "cannot create a pipe to check it";
  const pid_t child = ::fork();
  if (child < 0) return "cannot fork to check it";
  if (child == 0) {
    // Child: SimGrid writes its complaint to stderr, which becomes the pipe.
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    int argc = 1;
    char arg0[] = "bqsim-platform-check";
    char* argv[] = {arg0, nullptr};
    try {
      simgrid::s4u::Engine e(&argc, argv);
      e.load_platform(path);
      const std::vector<simgrid::s4u::Host*> hosts = e.get_all_hosts();
      if (hosts.empty()) {
        std::fprintf(stderr, "a platform without hosts\n");
        std::_Exit(1);
      }
      // Every node may talk to every other: each pair of hosts needs a route.
      for (auto* from : hosts) {
        for (auto* to : hosts) {
          if (from == to) continue;
          std::vector<simgrid::s4u::Link*> links;
          double latency = 0;
          from->route_to(to, links, &latency);
        }
      }
    } catch (const std::exception& ex) {
      std::fprintf(stderr, "%s\n", ex.what());
      std::_Exit(1);
    }
    std::_Exit(0);
  }
  ::close(pipe_fds[1]);
  std::string text;
  char buf[512];
  ssize_t got;
  while ((got = ::read(pipe_fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(got));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (!WIFEXITED(status)) {
    return "a platform SimGrid crashed on while checking it (is every pair of hosts routed?)";
  }
  // The last non-empty line SimGrid printed, without its log prefix; the user gets one line.
  std::string last;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
    start = end + 1;
  }
  const size_t tag = last.rfind("] ");
  if (tag != std::string::npos) last = last.substr(tag + 2);
  return last.empty() ? "a file SimGrid cannot load" : last;
}

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  char buf[48];
  if (patch != 0) {
    std::snprintf(buf, sizeof buf, "%d.%d.%d", major, minor, patch);
  } else {
    std::snprintf(buf, sizeof buf, "%d.%d", major, minor);
  }
  return buf;
}

}  // namespace bqsim
