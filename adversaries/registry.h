// The adversary behaviours and how a Byzantine server is assembled from a scenario's script.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/model/behaviour_info.h"
#include "sim/model/node.h"
#include "sim/input/scenario.h"

namespace bqsim {

class Coalition;  // adversaries/coalition.h

const std::vector<BehaviourInfo>& behaviour_registry();

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

// Wraps a correct server in the behaviours the scenario scripts for it (in script order).
// The decorator forwards by default and overrides only what each behaviour corrupts.
// REQUIRES: behaviours non-empty; names validated by the scenario reader.
std::unique_ptr<Node> make_byzantine_server(std::unique_ptr<Node> correct,
                                            const std::vector<BehaviourSpec>& behaviours,
                                            const NodeContext& ctx, CoalitionSet& coalitions);

}  // namespace bqsim
