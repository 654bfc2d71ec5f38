// Internals of the scenario walk, shared by scenario_walk.cc (the top level, workload and limits) and
// the section files scenario_protocol.cc, scenario_network.cc and scenario_byzantine.cc. Not
// part of the input library's interface: scenario_reader.h is.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/input/json_reader.h"
#include "sim/input/scenario.h"
#include "sim/input/scenario_walk.h"
#include "sim/model/behaviour_info.h"
#include "sim/model/quorum.h"

namespace bqsim::scenario_detail {

// What one walk over one document carries from section to section: later sections are checked
// against what earlier ones resolved (the network against the protocol, behaviours against n).
struct Walk {
  Walk(const Catalog& c, const std::string& f)
      : catalog(c), file(f), base_dir(std::filesystem::path(f).parent_path()) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& expected,
                         const std::string& got) const {
    throw InputError(file, pointer, expected, got);
  }

  const Catalog& catalog;
  const std::string& file;
  std::filesystem::path base_dir;  // relative platform files start here
  Scenario s;
  const ProtocolDescription* protocol = nullptr;  // set by read_protocol
  QuorumFamily family = QuorumFamily::sbq_masking;
  bool timeout_given = false;
};

// The names of a catalog's entries (protocols or behaviours), in catalog order.
std::vector<std::string> names_of(const auto& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item.name);
  return names;
}

// Each section reader fills its part of w.s and fails with an InputError naming w.file.
// Order matters: protocol (resolves n and the family), workload, network, byzantine, limits.
void read_protocol(JsonObject p, Walk& w);
void read_network(JsonObject net, Walk& w);
// The network section's parts in scenario_faults.cc: network.faults, and the check that the
// network's losses (base, per link, faults) suit the protocol's channel needs (an error, or
// an unsafe run with allow_unsafe). REQUIRES: the rest of network read first.
void read_faults(Walk& w, const JsonValue& value);
void check_channels(Walk& w, const std::optional<JsonValue>& faults);
// A node pattern (value_readers.h) whose indices exist: servers below n, clients below
// workload.clients.
NodeSelector read_selector(const Walk& w, const JsonValue& v);
// More Byzantine servers than f mark the run unsafe (allow_unsafe) or fail. REQUIRES:
// w.s.protocol (name, f, resolved n), w.s.workload, w.s.timestamp_bits, w.s.allow_unsafe read.
void read_byzantine(const JsonValue& value, Walk& w);

}  // namespace bqsim::scenario_detail
