// What a protocol is to the rest of bqsim: its options, the context its nodes are built
// with, and the description registered in protocols/registry.cc.
#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/model/messages.h"
#include "sim/model/mutation.h"
#include "sim/model/node.h"
#include "sim/model/quorum.h"
#include "sim/model/random.h"
#include "sim/model/types.h"

namespace bqsim {

enum class Contact { all, quorum };
enum class TsChoice { max, f1th };  // "max" | "f+1-th"

// Every protocol option, with its default. A protocol lists the keys it accepts; the
// scenario reader rejects the others, so an option never silently does nothing.
struct ProtocolOptions {
  // Send each request to all n servers (fast, more messages) or to one random quorum,
  // widened to all after contact_widen_s (Malkhi-Reiter's load-saving variant).
  Contact contact = Contact::all;
  double contact_widen_s = 0.1;
  // Timestamp choice: the largest counter seen, or the (f+1)-th largest, which a correct
  // server vouches for and so defeats timestamp inflation (PROTOCOLS.md §4, §6).
  TsChoice ts_choice = TsChoice::max;
  // sync-threshold: servers that may actually fail without slowing reads (0 <= t <= f),
  // and the time-out T that ends a wait on a synchronous network (T >= 2 * bound).
  int t = 0;
  double timeout_s = 0;  // 0: derived as 2 * network.bound_s
  // sync-threshold: "generic" or "self-verifying".
  DataKind data = DataKind::generic;
  // u-protocols: resend to silent servers after retransmit_initial_s, multiplied by
  // retransmit_backoff after each resend, capped at retransmit_cap_s.
  double retransmit_initial_s = 0.05;
  double retransmit_backoff = 2.0;
  double retransmit_cap_s = 1.0;
  // u-protocols: message buffers per client (0 = unlimited).
  int buffers = 0;
  // Self-verifying data: signature size and CPU cost at signer and verifier.
  uint32_t signature_bytes = 0;
  double sign_cpu_s = 0;
  double verify_cpu_s = 0;
};

// One declared option: name, help, default and range in one place (ns-3 style), used by the
// scenario reader for checking and by `bqsim list` for printing.
struct OptionSpec {
  std::string key;       // as spelled in the scenario's `protocol` object
  std::string type;      // "number", "integer", "string", "boolean"
  std::string default_text;
  std::string help;
  std::vector<std::string> choices;  // for strings
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};
const std::vector<OptionSpec>& option_specs();
const OptionSpec* find_option(const std::string& key);

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

// A registered protocol. Data kind and promised semantics follow from its quorum family:
// generic data promises safe, self-verifying data regular (PROTOCOLS.md §3).
struct ProtocolDescription {
  std::string name;     // as `bqsim list` prints it and scenarios spell it
  std::string summary;  // one line
  std::vector<std::string> option_keys;  // accepted keys of option_specs()
  bool requires_sync = false;            // only valid on network.synchrony = "sync"
  bool needs_acks_to_stop = false;       // u-protocols: lossy networks allowed
  std::function<QuorumFamily(const ProtocolOptions&)> family;
  std::function<std::unique_ptr<ServerLogic>(const NodeContext&)> make_server;
  std::function<std::unique_ptr<ClientLogic>(const NodeContext&)> make_client;
};

DataKind data_kind(QuorumFamily family);
Semantics promised_semantics(QuorumFamily family);

}  // namespace bqsim
