// The nodes of one run, built from a validated scenario: n servers (wrapped in their scripted
// behaviours when Byzantine) and the clients (a protocol's client logic wrapped in the
// workload). Every engine drives the same NodeSet, so a run's logic does not depend on which
// engine delivers its events.
#pragma once

#include <memory>
#include <vector>

#include "adversaries/registry.h"
#include "sim/input/scenario.h"
#include "sim/model/behaviour_info.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"

namespace bqsim {

struct NodeSet {
  const ProtocolDescription* protocol = nullptr;
  QuorumFamily family = QuorumFamily::sbq_masking;
  RunParameters run;
  WireSizes sizes;                  // what wire_bytes() counts for this run
  std::unique_ptr<Signer> signer;   // correct writers' signer; the checker's too
  std::unique_ptr<CoalitionSet> coalitions;  // shared by colluders for the whole run
  std::vector<std::unique_ptr<Node>> nodes;  // servers 0..n-1, then clients
  std::vector<bool> byzantine;               // per server

  int servers() const { return run.n; }
  int size() const { return static_cast<int>(nodes.size()); }
  bool is_client(NodeId id) const { return static_cast<int>(id) >= run.n; }
};

// REQUIRES: scenario validated against `catalog` (scenario_reader.h).
NodeSet build_node_set(const Scenario& scenario, const Catalog& catalog);

// The parameters every node of the scenario's run shares.
RunParameters run_parameters(const Scenario& scenario);

}  // namespace bqsim
