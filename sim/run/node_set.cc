#include "sim/run/node_set.h"

#include "sim/model/check.h"
#include "sim/model/random.h"
#include "sim/run/workload.h"

namespace bqsim {

RunParameters run_parameters(const Scenario& sc) {
  RunParameters run;
  run.n = sc.protocol.n;
  run.f = sc.protocol.f;
  run.options = sc.protocol.options;
  run.value_bytes = sc.workload.value_bytes;
  run.timestamp_bits = sc.timestamp_bits;
  run.seed = sc.seed;
  return run;
}

NodeSet build_node_set(const Scenario& sc, const Catalog& catalog) {
  NodeSet set;
  set.protocol = catalog.find_protocol(sc.protocol.name);
  BQSIM_CHECK(set.protocol != nullptr, "the scenario reader validated the protocol name");
  set.family = set.protocol->family(sc.protocol.options);
  set.run = run_parameters(sc);
  set.signer = std::make_unique<Signer>(mix64(sc.seed ^ hash_name("signer")));
  set.coalitions = std::make_unique<CoalitionSet>();
  const int n = sc.protocol.n;
  set.sizes = node_context(set.family, set.run, 0, nullptr).sizes;  // the same for every node

  std::vector<const ByzantineSpec*> script(n, nullptr);
  set.byzantine.assign(n, false);
  for (const auto& b : sc.byzantine) {
    for (NodeId s : b.servers) {
      script[s] = &b;
      set.byzantine[s] = true;
    }
  }
  for (int i = 0; i < n; ++i) {
    const NodeContext ctx = node_context(set.family, set.run, static_cast<NodeId>(i), nullptr);
    std::unique_ptr<Node> server = set.protocol->make_server(ctx);
    if (script[i] != nullptr) {
      server = make_byzantine_server(std::move(server), script[i]->behaviours, ctx,
                                     *set.coalitions);
    }
    set.nodes.push_back(std::move(server));
  }
  const auto workload = std::make_shared<const WorkloadSpec>(sc.workload);
  for (uint32_t c = 0; c < sc.workload.clients; ++c) {
    const NodeContext ctx =
        node_context(set.family, set.run, static_cast<NodeId>(n) + c, set.signer.get());
    set.nodes.push_back(std::make_unique<WorkloadClient>(set.protocol->make_client(ctx),
                                                         workload, c, sc.seed));
  }
  return set;
}

}  // namespace bqsim
