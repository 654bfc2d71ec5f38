// A scenario, as read and checked from a JSON file (INTERFACE.md, scenarios/schema.json).
// Every field has a default; the reader (scenario_reader.h) fills and validates it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/distribution.h"
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
};

// Selects one side of a link: every node, every server or client, or one of them.
struct NodeSelector {
  enum class Role { any, server, client } role = Role::any;
  int64_t index = -1;  // -1: all of that role
  bool matches(NodeId node, int n) const;
};

struct LinkOverride {
  NodeSelector from;
  NodeSelector to;
  std::optional<Distribution> delay;
  std::optional<double> loss_probability;
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
  std::string platform_file;  // optional SimGrid platform; hosts are used in name order
};

struct BehaviourSpec {
  std::string kind;  // "silent", "forge", ... (see adversaries/registry)
  double from_s = 0;
  double until_s = kForever;
  // forge: colluders with the same coalition report one agreed pair.
  std::string coalition = "default";
  uint64_t ts_counter = uint64_t{1} << 62;  // forge: the forged timestamp's counter
  std::optional<ValueId> value;             // forge: the forged value (default from coalition)
  bool answer_ts_queries = false;           // forge: also report the forged ts in ts phases
  nlohmann::json params;                    // the behaviour's object as written, for later kinds
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
