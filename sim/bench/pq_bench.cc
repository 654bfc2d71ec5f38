// A plain priority-queue discrete-event loop with bqsim's message pattern: the baseline that
// scripts/bench_engine.py compares the SimGrid engine against (SIMGRID_NOTES.md, "Speed").
// No SimGrid and no protocol logic beyond counting replies: it measures what simulating the
// messages costs at the least, so the ratio to bqsim shows the engine's overhead.
//
// Pattern (PROTOCOLS.md §3, §4, contact: all): C closed-loop clients with zero think time;
// a read sends to all n servers and returns after r replies; a write asks all n for their
// timestamps and waits for ts_replies, then sends the value to all n and returns at once
// (sbq-masking) or after write_acks acknowledgements (mr-masking). Replies that arrive after
// the client moved on are still delivered and counted, as in bqsim. Quorum sizes come from
// bqsim::quorum_sizes, delays from bqsim::Distribution drawn with bqsim::Rng streams.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model/distribution.h"
#include "sim/model/quorum.h"
#include "sim/model/random.h"

namespace {

enum class Type : uint8_t { ts_query, ts_reply, read, read_reply, write, write_ack };

struct Event {
  double time = 0;
  uint64_t seq = 0;  // ties at equal times go in send order: the run is deterministic
  uint32_t from = 0;
  uint32_t to = 0;
  Type type = Type::read;
  uint32_t op = 0;   // the sending or receiving client's operation number
  uint64_t ts = 0;   // (counter << 20) | writer: the timestamp carried, as bqsim orders them
};

struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

enum class Phase : uint8_t { read, ts, store };

struct Client {
  uint32_t op = 0;
  Phase phase = Phase::read;
  int replies = 0;
  uint64_t max_counter = 0;
  bqsim::Rng rng;
};

struct Options {
  std::string protocol = "sbq-masking";
  int f = 1;
  int n = 0;  // 0: the protocol's minimum for f
  uint32_t clients = 100;
  uint64_t messages = 1'000'000;
  std::string delay_dist = "constant";
  double delay_s = 0.001;
  double read_fraction = 0.5;
  uint64_t seed = 1;
};

constexpr const char* kUsage =
    "usage: bqsim_pq_bench [--protocol sbq-masking|mr-masking] [--f F] [--n N] [--clients C]\n"
    "                      [--messages M] [--delay-dist constant|exponential] [--delay-s D]\n"
    "                      [--read-fraction P] [--seed S]\n"
    "Runs a plain priority-queue event loop with bqsim's message pattern until M messages are\n"
    "delivered and prints one JSON line: delivered, wall_s, rate_per_s, peak_rss_kb, sim_time_s.\n"
    "Defaults: sbq-masking, f=1, n=minimum for f, 100 clients, 1000000 messages, constant\n"
    "0.001 s delay (the exponential's mean), read fraction 0.5, seed 1.\n";

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(stderr, "error: %s (see bqsim_pq_bench --help)\n", what.c_str());
  std::exit(2);
}

uint64_t parse_uint(const std::string& flag, const std::string& text, uint64_t min, uint64_t max) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || v < min || v > max) {
    usage_error(flag + ": expected an integer in [" + std::to_string(min) + ", " +
                std::to_string(max) + "], got '" + text + "'");
  }
  return v;
}

double parse_double(const std::string& flag, const std::string& text, double min, double max) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= min && v <= max)) {
    char range[64];
    std::snprintf(range, sizeof range, "[%g, %g]", min, max);
    usage_error(flag + ": expected a number in " + range + ", got '" + text + "'");
  }
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) usage_error(flag + ": expected a value");
    const std::string v = argv[++i];
    if (flag == "--protocol") {
      if (v != "sbq-masking" && v != "mr-masking") {
        usage_error("--protocol: expected sbq-masking or mr-masking, got '" + v + "'");
      }
      o.protocol = v;
    } else if (flag == "--f") {
      o.f = static_cast<int>(parse_uint(flag, v, 0, 10'000));
    } else if (flag == "--n") {
      o.n = static_cast<int>(parse_uint(flag, v, 1, 100'000));
    } else if (flag == "--clients") {
      o.clients = static_cast<uint32_t>(parse_uint(flag, v, 1, 1'000'000));
    } else if (flag == "--messages") {
      o.messages = parse_uint(flag, v, 1, 1'000'000'000'000ULL);
    } else if (flag == "--delay-dist") {
      if (v != "constant" && v != "exponential") {
        usage_error("--delay-dist: expected constant or exponential, got '" + v + "'");
      }
      o.delay_dist = v;
    } else if (flag == "--delay-s") {
      o.delay_s = parse_double(flag, v, 0, 1e6);
    } else if (flag == "--read-fraction") {
      o.read_fraction = parse_double(flag, v, 0, 1);
    } else if (flag == "--seed") {
      o.seed = parse_uint(flag, v, 0, UINT64_MAX);
    } else {
      usage_error("unknown option '" + flag + "'; valid: --protocol, --f, --n, --clients, "
                  "--messages, --delay-dist, --delay-s, --read-fraction, --seed");
    }
  }
  return o;
}

bqsim::QuorumFamily family_of(const std::string& protocol) {
  return protocol == "mr-masking" ? bqsim::QuorumFamily::mr_masking
                                  : bqsim::QuorumFamily::sbq_masking;
}

class Bench {
 public:
  // REQUIRES: o.n resolved (>= the minimum for o.f).
  explicit Bench(const Options& o)
      : opt_(o),
        n_(static_cast<uint32_t>(o.n)),
        q_(bqsim::quorum_sizes(family_of(o.protocol), o.n, o.f)),
        delay_(o.delay_dist == "exponential"
                   ? bqsim::Distribution{bqsim::DistKind::exponential, o.delay_s, 0}
                   : bqsim::Distribution::constant(o.delay_s)),
        server_ts_(n_, 0) {
    // One delay stream per sending node, as bqsim derives streams from (seed, purpose, id).
    for (uint32_t id = 0; id < n_ + o.clients; ++id) net_rng_.emplace_back(o.seed, "delay", id);
    for (uint32_t c = 0; c < o.clients; ++c) {
      clients_.push_back(Client{0, Phase::read, 0, 0, bqsim::Rng(o.seed, "client", n_ + c)});
    }
  }

  void run() {
    for (uint32_t c = 0; c < opt_.clients; ++c) start_op(c);
    while (!queue_.empty() && delivered_ < opt_.messages) {
      const Event e = queue_.top();
      queue_.pop();
      ++delivered_;
      now_ = e.time;
      if (e.to < n_) {
        on_server(e);
      } else {
        on_client(e);
      }
    }
  }

  int n() const { return static_cast<int>(n_); }
  uint64_t delivered() const { return delivered_; }
  uint64_t ops_completed() const { return ops_completed_; }
  double now() const { return now_; }

 private:
  void send(uint32_t from, uint32_t to, Type type, uint32_t op, uint64_t ts) {
    queue_.push(Event{now_ + delay_.sample(net_rng_[from]), seq_++, from, to, type, op, ts});
  }

  void to_all_servers(uint32_t client, Type type, uint64_t ts) {
    const uint32_t id = n_ + client;
    for (uint32_t s = 0; s < n_; ++s) send(id, s, type, clients_[client].op, ts);
  }

  void start_op(uint32_t c) {
    Client& cl = clients_[c];
    ++cl.op;
    cl.replies = 0;
    cl.max_counter = 0;
    if (cl.rng.uniform01() < opt_.read_fraction) {
      cl.phase = Phase::read;
      to_all_servers(c, Type::read, 0);
    } else {
      cl.phase = Phase::ts;
      to_all_servers(c, Type::ts_query, 0);
    }
  }

  void complete(uint32_t c) {
    ++ops_completed_;
    start_op(c);  // closed loop, zero think time
  }

  void on_server(const Event& e) {
    uint64_t& stored = server_ts_[e.to];
    switch (e.type) {
      case Type::ts_query:
        send(e.to, e.from, Type::ts_reply, e.op, stored);
        break;
      case Type::read:
        send(e.to, e.from, Type::read_reply, e.op, stored);
        break;
      case Type::write:
        if (e.ts > stored) stored = e.ts;
        if (q_.write_acks > 0) send(e.to, e.from, Type::write_ack, e.op, e.ts);
        break;
      default:
        break;
    }
  }

  void on_client(const Event& e) {
    const uint32_t c = e.to - n_;
    Client& cl = clients_[c];
    if (e.op != cl.op) return;  // a late reply to an operation that already returned
    if (e.type == Type::read_reply && cl.phase == Phase::read) {
      if (++cl.replies == q_.read_replies) complete(c);
    } else if (e.type == Type::ts_reply && cl.phase == Phase::ts) {
      const uint64_t counter = e.ts >> 20;
      if (counter > cl.max_counter) cl.max_counter = counter;
      if (++cl.replies == q_.ts_replies) {
        cl.phase = Phase::store;
        cl.replies = 0;
        to_all_servers(c, Type::write, ((cl.max_counter + 1) << 20) | (n_ + c));
        if (q_.write_acks == 0) complete(c);  // SBQ writes return as soon as they are sent
      }
    } else if (e.type == Type::write_ack && cl.phase == Phase::store) {
      if (++cl.replies == q_.write_acks) complete(c);
    }
  }

  Options opt_;
  uint32_t n_;
  bqsim::QuorumSizes q_;
  bqsim::Distribution delay_;
  std::vector<uint64_t> server_ts_;
  std::vector<Client> clients_;
  std::vector<bqsim::Rng> net_rng_;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  uint64_t seq_ = 0;
  uint64_t delivered_ = 0;
  uint64_t ops_completed_ = 0;
  double now_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse(argc, argv);
  const int n_min = bqsim::min_servers(family_of(opt.protocol), opt.f);
  if (opt.n > 0 && opt.n < n_min) {
    usage_error("--n: expected at least " + std::to_string(n_min) + " (the minimum for f=" +
                std::to_string(opt.f) + "), got " + std::to_string(opt.n));
  }
  if (opt.n == 0) opt.n = n_min;
  if (static_cast<uint64_t>(opt.n) + opt.clients >= (uint64_t{1} << 20)) {
    usage_error("n + clients: expected fewer than 2^20 nodes (a timestamp's writer field)");
  }
  Bench bench(opt);
  const auto start = std::chrono::steady_clock::now();
  bench.run();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  // ru_maxrss is in kilobytes on Linux. It also counts the image this process replaced at exec,
  // so when started from a large parent it reports that parent's size: scripts/bench_engine.py
  // measures under GNU time instead.
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "{\"protocol\": \"%s\", \"f\": %d, \"n\": %d, \"clients\": %u, \"delay_dist\": \"%s\", "
      "\"delivered\": %llu, \"ops_completed\": %llu, \"wall_s\": %.6f, \"rate_per_s\": %.1f, "
      "\"peak_rss_kb\": %ld, \"sim_time_s\": %.9g}\n",
      opt.protocol.c_str(), opt.f, bench.n(), opt.clients, opt.delay_dist.c_str(),
      static_cast<unsigned long long>(bench.delivered()),
      static_cast<unsigned long long>(bench.ops_completed()), wall,
      wall > 0 ? static_cast<double>(bench.delivered()) / wall : 0.0, usage.ru_maxrss,
      bench.now());
  return 0;
}
