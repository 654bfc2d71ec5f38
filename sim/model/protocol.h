// What a protocol is to the rest of bqsim: its options, the context its nodes are built
// with, and the description registered in protocols/registry.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/mutation.h"
#include "sim/model/node.h"
#include "sim/model/options.h"
#include "sim/model/quorum.h"
#include "sim/model/random.h"
#include "sim/model/types.h"

namespace bqsim {

// What a quorum family is, beyond its arithmetic (quorum.h): the one table every rule that
// depends on the family derives from (family_traits(), one exhaustive switch, so -Wswitch
// names a new family that lacks its row).
enum class SynchronyNeed : uint8_t {
  any,  // correct on asynchronous, partially synchronous and synchronous networks
  sync  // only on network.synchrony = "sync": its waits end at a time-out
};
enum class Channels : uint8_t {
  reliable,  // every message sent between correct nodes arrives: a loss may leave an
             // operation stuck (a liveness failure, never a safety one)
  fair_loss  // live on fair-loss links: it resends until answered, so writes are acknowledged
};
struct FamilyTraits {
  DataKind data = DataKind::generic;
  // Read quorums meet the latest write in >= 2f+1 servers, so f+1 identical replies vouch for
  // a pair and out-vote f liars (PROTOCOLS.md §3). Generic data needs it; signed data needs
  // only >= f+1 (one correct holder).
  bool masking = true;
  SynchronyNeed synchrony = SynchronyNeed::any;
  Channels channels = Channels::reliable;
  Semantics promises = Semantics::safe;  // generic data: safe; self-verifying: regular (§3)
};
FamilyTraits family_traits(QuorumFamily family);
DataKind data_kind(QuorumFamily family);
Semantics promised_semantics(QuorumFamily family);

// What a node of a protocol is built with. No globals: everything a node needs is here.
struct NodeContext {
  NodeId id = 0;             // this node
  int n = 0;                 // servers are 0..n-1
  int f = 0;
  uint32_t client_index = 0; // clients only; the node id is n + client_index
  QuorumSizes quorum;
  DataKind data = DataKind::generic;
  ProtocolOptions options;
  WireSizes sizes;
  const Signer* signer = nullptr;  // correct clients only: adversaries never get one
  uint32_t timestamp_bits = 64;    // counters wrap modulo 2^bits
  uint64_t seed = 0;               // for the node's own Rng(seed, "client"|"server", id)
  // TEST-ONLY (mutation.h): a deliberately broken variant. No scenario sets it.
  Mutation mutation = Mutation::none;
};

// What every node of one run shares; node_context() adds what differs per node.
struct RunParameters {
  int n = 0;
  int f = 0;
  ProtocolOptions options;
  uint32_t value_bytes = 0;     // workload.value_bytes
  uint32_t timestamp_bits = 64;
  uint64_t seed = 0;
};

// The one place a node's context is assembled, used by every engine and by the test harness,
// so that what a node is built with cannot drift between them. Node ids: servers 0..n-1, then
// clients n, n+1, ...; clients get `signer` (correct writers sign), servers never do.
NodeContext node_context(QuorumFamily family, const RunParameters& run, NodeId id,
                         const Signer* signer);

// A registered protocol. Its options follow from its families' traits (AcceptedBy, options.h).
struct ProtocolDescription {
  std::string name;     // as `bqsim list` prints it and scenarios spell it
  std::string summary;  // one line
  // The quorum families it runs: one, or one per data kind, picked by the `data` option
  // (sync-threshold). All share their synchrony and channel needs.
  std::vector<QuorumFamily> families;
  std::function<std::unique_ptr<ServerLogic>(const NodeContext&)> make_server;
  std::function<std::unique_ptr<ClientLogic>(const NodeContext&)> make_client;

  QuorumFamily family(const ProtocolOptions& options) const;
  FamilyTraits traits(const ProtocolOptions& options) const {
    return family_traits(family(options));
  }
  bool accepts(const ProtocolOption& option) const;
  // The options it accepts, in table order.
  std::vector<const ProtocolOption*> options() const;
};

}  // namespace bqsim
