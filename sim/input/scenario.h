// A scenario, as read and checked from a JSON file (INTERFACE.md, scenarios/schema.json).
// Every field has a default; the reader (scenario_reader.h) fills and validates it.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/distribution.h"
#include "sim/model/fault_info.h"
#include "sim/model/protocol.h"
#include "sim/model/types.h"

namespace bqsim {

inline constexpr double kForever = std::numeric_limits<double>::infinity();

struct ProtocolSpec {
  std::string name = "sbq-masking";
  int f = 1;
  int n = 0;  // 0 in the file means "the protocol's minimum for f"; the reader resolves it
  ProtocolOptions options;
};

struct WorkloadSpec {
  uint32_t clients = 1;
  uint32_t ops_per_client = 100;  // 0 when duration_s is given instead
  double duration_s = 0;          // 0 when ops_per_client is given; clients start no op after
  double read_fraction = 0.5;
  Distribution think_time = Distribution::constant(0);
  uint32_t value_bytes = 64;
  uint32_t registers = 1;
  uint32_t concurrency = 1;       // operations a client keeps in flight at once
  // Optional: client c performs exactly script[c], in order (replaces ops_per_client and
  // read_fraction; clients = script.size()). Small deterministic workloads, e.g. "a writer and
  // a reader" for exhaustive exploration.
  std::vector<std::vector<OpKind>> script;
};

// Selects nodes (one side of a link, a partition group, a placement): every node, every
// server or client, one of them, or a range of them ("server:0-2").
struct NodeSelector {
  enum class Role { any, server, client } role = Role::any;
  int64_t index = -1;  // -1: all of that role; else the first index of the range
  int64_t last = -1;   // the range's last index (== index for one node)
  bool matches(NodeId node, int n) const;
};

struct LinkOverride {
  NodeSelector from;
  NodeSelector to;
  std::optional<Distribution> delay;
  std::optional<double> loss_probability;
  std::optional<bool> fifo;  // deliver in send order (a TCP-like channel)
};

// One scheduled network fault (network.faults[], sim/model/fault_info.h declares the keys).
// Active for messages SENT in [from_s, until_s); it never counts against f.
struct FaultSpec {
  FaultKind kind = FaultKind::link_down;
  double from_s = 0;
  double until_s = std::numeric_limits<double>::infinity();  // open-ended: never heals
  std::vector<std::vector<NodeSelector>> groups;  // partition; nodes in none form one more
  bool hold = false;                              // partition: mode hold (else drop)
  NodeSelector from, to;                          // the other kinds: the links they match
  double probability = 0;                         // loss, duplicate
  double p_good_bad = 0, p_bad_good = 0;          // bursty-loss (Gilbert-Elliott)
  double loss_good = 0, loss_bad = 1;
  Distribution delay;                             // delay: the extra delay
  // Whether it can lose a message (for the channel check).
  bool can_lose() const;
};

// network.placement[]: the nodes a pattern selects go round robin over `hosts`.
struct PlacementRule {
  NodeSelector nodes;
  std::vector<std::string> hosts;  // empty: every host of the platform, in natural order
  std::string pointer;             // where it was written, for errors found on loading
};

// A SimGrid platform as bqsim uses it, known once the file is loaded (sim/engine reads the
// routes, sim/run places the nodes): filled after the scenario is read, empty without a
// platform file. Shared so that copies of a scenario stay cheap.
struct PlatformTopology {
  std::vector<std::string> hosts;  // in natural name order ("h2" before "h10")
  std::vector<double> latency_s;   // hosts x hosts, row = source: the route's summed latency
  std::vector<uint32_t> host_of;   // per node (servers, then clients): index into hosts
  double latency(NodeId from, NodeId to) const {
    return latency_s[static_cast<size_t>(host_of[from]) * hosts.size() + host_of[to]];
  }
};

enum class NetModel { latency, bandwidth };
enum class Synchrony { async, sync, partial };

struct NetworkSpec {
  NetModel model = NetModel::latency;
  Distribution delay = Distribution::constant(0.001);
  double loss_probability = 0;
  std::vector<LinkOverride> links;  // later entries win
  Synchrony synchrony = Synchrony::async;
  double bound_s = kForever;  // sync and partial: the delay bound Delta
  double gst_s = 0;           // partial: global stabilisation time
  // bandwidth model only: each node's private link to the star's centre.
  double bandwidth_Bps = 1.25e8;
  double link_latency_s = 0;
  std::string platform_file;  // optional SimGrid platform (latency or bandwidth model)
  std::vector<PlacementRule> placement;  // platform only; unplaced nodes get a host each
  std::shared_ptr<const PlatformTopology> topology;  // set once the platform is loaded
  std::vector<FaultSpec> faults;  // scheduled faults, in scenario order
  // partial only: before gst_s, delays are drawn from pre_gst_delay (it may exceed bound_s;
  // a message still arrives by gst_s + bound_s), and the links of pre_gst_hold hold their
  // messages until gst_s.
  std::optional<Distribution> pre_gst_delay;
  std::vector<std::pair<NodeSelector, NodeSelector>> pre_gst_hold;
};

// One scripted behaviour. The reader checks its parameters against the behaviour's declaration
// (BehaviourInfo) and keeps them as written; the behaviour reads its own (adversaries/).
struct BehaviourSpec {
  std::string kind;  // a name in the catalog's behaviours
  double from_s = 0;
  double until_s = kForever;
  nlohmann::json params;  // the behaviour's object as written (kind and window included)
};

struct ByzantineSpec {
  std::vector<NodeId> servers;
  std::vector<BehaviourSpec> behaviours;
};

struct LimitsSpec {
  // Simulated time at which still-pending operations are given up (outcome timeout) and the
  // run ends: a liveness failure, never a hang.
  double max_sim_time_s = 3600;
  uint64_t max_messages = 1'000'000'000;  // the run stops (and says so) past this many sends
};

// Which engine runs the scenario. Both handle events in bqsim's own order (sim/run/event.h)
// and write byte-identical traces; the native engine runs the latency model only.
enum class EngineKind : uint8_t { simgrid, native };

struct Scenario {
  std::string name;
  uint64_t seed = 1;
  ProtocolSpec protocol;
  WorkloadSpec workload;
  NetworkSpec network;
  std::vector<ByzantineSpec> byzantine;
  bool allow_unsafe = false;
  uint32_t timestamp_bits = 64;
  LimitsSpec limits;
  EngineKind engine = EngineKind::simgrid;  // not in the hash: it never changes a trace

  std::string source_file;  // as given on the command line
  nlohmann::json resolved;  // the scenario after overrides, for the hash and summary
  std::string hash;         // 16 hex digits over resolved (with the seed, without engine)
  bool unsafe = false;      // below n_min or more than f Byzantine servers (allow_unsafe)
};

}  // namespace bqsim
