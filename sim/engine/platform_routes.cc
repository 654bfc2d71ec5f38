// Reading a platform file's hosts and route latencies (engine.h), in a child process: a bad
// file can abort SimGrid, and a process holds one engine, which the run still needs.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/engine/engine.h"

namespace bqsim {
namespace {

// In the child: loads the platform and writes the hosts and the latency table to `out`
// (a count, the names one per line, then each latency as a hexadecimal float, exact).
[[noreturn]] void child_main(const std::string& path, int out) {
  int argc = 1;
  char arg0[] = "bqsim-platform";
  char* argv[] = {arg0, nullptr};
  try {
    simgrid::s4u::Engine e(&argc, argv);
    e.load_platform(path);
    std::vector<simgrid::s4u::Host*> hosts = e.get_all_hosts();
    if (hosts.empty()) {
      std::fprintf(stderr, "a platform without hosts\n");
      std::_Exit(1);
    }
    std::sort(hosts.begin(), hosts.end(), [](const auto* a, const auto* b) {
      return natural_less(a->get_name(), b->get_name());
    });
    std::string text = std::to_string(hosts.size()) + "\n";
    for (const auto* h : hosts) text += h->get_name() + "\n";
    // Every node may talk to every other: each pair of hosts needs a route.
    for (auto* from : hosts) {
      for (auto* to : hosts) {
        std::vector<simgrid::s4u::Link*> links;
        double latency = 0;
        from->route_to(to, links, &latency);
        char buf[40];
        std::snprintf(buf, sizeof buf, "%a\n", latency);
        text += buf;
      }
    }
    for (size_t done = 0; done < text.size();) {
      const ssize_t w = ::write(out, text.data() + done, text.size() - done);
      if (w <= 0) std::_Exit(1);
      done += static_cast<size_t>(w);
    }
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "%s\n", ex.what());
    std::_Exit(1);
  }
  std::_Exit(0);
}

// The last non-empty line SimGrid printed, without its log prefix: the user gets one line.
std::string last_line(const std::string& text) {
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
  return last;
}

bool parse_routes(const std::string& data, PlatformRoutes& routes) {
  std::istringstream in(data);
  size_t count = 0;
  if (!(in >> count) || count == 0) return false;
  std::string line;
  std::getline(in, line);
  for (size_t i = 0; i < count; ++i) {
    if (!std::getline(in, line)) return false;
    routes.hosts.push_back(line);
  }
  for (size_t i = 0; i < count * count; ++i) {
    if (!std::getline(in, line)) return false;
    routes.latency_s.push_back(std::strtod(line.c_str(), nullptr));
  }
  return true;
}

}  // namespace

PlatformRoutes read_platform_routes(const std::string& path, std::string& problem) {
  problem.clear();
  int err_fds[2], data_fds[2];
  if (::pipe(err_fds) != 0 || ::pipe(data_fds) != 0) {
    problem = "cannot create a pipe to read it";
    return {};
  }
  const pid_t child = ::fork();
  if (child < 0) {
    problem = "cannot fork to read it";
    return {};
  }
  if (child == 0) {
    // SimGrid writes its complaint to stderr, which becomes the error pipe.
    ::dup2(err_fds[1], STDERR_FILENO);
    ::close(err_fds[0]);
    ::close(data_fds[0]);
    child_main(path, data_fds[1]);
  }
  ::close(err_fds[1]);
  ::close(data_fds[1]);
  // Both pipes drained together, so a child filling one never waits on the other.
  std::string err, data;
  pollfd fds[2] = {{err_fds[0], POLLIN, 0}, {data_fds[0], POLLIN, 0}};
  std::string* sinks[2] = {&err, &data};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  PlatformRoutes routes;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && parse_routes(data, routes)) return routes;
  if (!WIFEXITED(status)) {
    problem = "a platform SimGrid crashed on while reading it (is every pair of hosts routed?)";
  } else {
    problem = last_line(err);
    if (problem.empty()) problem = "a file SimGrid cannot load";
  }
  return {};
}

std::string check_platform_file(const std::string& path) {
  std::string problem;
  read_platform_routes(path, problem);
  return problem;
}

}  // namespace bqsim
