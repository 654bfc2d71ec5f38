// The adversary behaviours and how a Byzantine server is assembled from a scenario's script.
// Each behaviour file declares its entry (what the reader and `bqsim list` know of it, its own
// rules and its factory); registry.cc lists them. Adding a behaviour: its files in adversaries/
// and one line in registry.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adversaries/behaviour.h"
#include "sim/input/scenario.h"
#include "sim/model/behaviour_info.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"

namespace bqsim {

class Coalition;  // adversaries/coalition.h

// Shared state of colluding servers, one per coalition name, owned by the caller for the
// whole run and handed to every colluder.
class CoalitionSet {
 public:
  CoalitionSet();
  ~CoalitionSet();
  Coalition& get(const std::string& name);

 private:
  std::map<std::string, std::unique_ptr<Coalition>> coalitions_;
};

// What a factory builds one behaviour from: its spec (parameters checked by the reader against
// the entry's declaration), the server's context, the run's coalitions, and its place in the
// server's script (for its own random stream).
struct BehaviourBuild {
  const BehaviourSpec& spec;
  const NodeContext& ctx;
  CoalitionSet& coalitions;
  uint32_t script_index;
};

struct BehaviourEntry {
  BehaviourInfo info;
  std::function<std::unique_ptr<Behaviour>(const BehaviourBuild&)> make;
};

// The behaviours, in the order `bqsim list` prints them (registry.cc).
const std::vector<BehaviourEntry>& behaviour_entries();
// Their declarations, for the scenario reader's Catalog.
const std::vector<BehaviourInfo>& behaviour_registry();
std::vector<BehaviourInfo> infos_of(const std::vector<BehaviourEntry>& entries);

// Wraps a correct server in the behaviours the scenario scripts for it (in script order),
// each built by its entry in `entries`. The decorator forwards by default and overrides only
// what each behaviour corrupts. REQUIRES: behaviours non-empty; names and parameters validated
// by the scenario reader against the same entries.
std::unique_ptr<Node> make_byzantine_server(
    std::unique_ptr<Node> correct, const std::vector<BehaviourSpec>& behaviours,
    const NodeContext& ctx, CoalitionSet& coalitions,
    const std::vector<BehaviourEntry>& entries = behaviour_entries());

// One per behaviour file.
BehaviourEntry silent_behaviour();      // silent.cc
BehaviourEntry forge_behaviour();       // forge.cc
BehaviourEntry crash_behaviour();       // crash.cc
BehaviourEntry stale_behaviour();       // stale.cc
BehaviourEntry equivocate_behaviour();  // equivocate.cc
BehaviourEntry slow_behaviour();        // slow.cc
BehaviourEntry omit_behaviour();        // omit.cc
BehaviourEntry ts_inflate_behaviour();  // ts_inflate.cc
BehaviourEntry bad_signature_behaviour();  // bad_signature.cc

}  // namespace bqsim
