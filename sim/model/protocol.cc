#include "sim/model/protocol.h"

namespace bqsim {

const std::vector<OptionSpec>& option_specs() {
  static const std::vector<OptionSpec> kSpecs = {
      {"contact", "string", "all",
       "send each request to all n servers, or to one random quorum widened after contact_widen_s",
       {"all", "quorum"}},
      {"contact_widen_s", "number", "0.1",
       "contact=quorum: widen to all servers if the quorum has not answered after this long",
       {}, 0.0},
      {"ts_choice", "string", "max",
       "timestamp phase: largest counter seen, or the (f+1)-th largest (defeats inflation)",
       {"max", "f+1-th"}},
      {"t", "integer", "0", "sync-threshold: failures tolerated without slow reads (0 <= t <= f)",
       {}, 0.0},
      {"timeout_s", "number", "2 * network.bound_s",
       "sync-threshold: time-out T ending every wait; must be >= 2 * network.bound_s", {}, 0.0},
      {"data", "string", "generic", "sync-threshold: data kind", {"generic", "self-verifying"}},
      {"retransmit_initial_s", "number", "0.05", "u-protocols: first retransmission time-out",
       {}, 1e-9},
      {"retransmit_backoff", "number", "2", "u-protocols: time-out multiplier after each resend",
       {}, 1.0},
      {"retransmit_cap_s", "number", "1", "u-protocols: largest retransmission time-out", {},
       1e-9},
      {"buffers", "integer", "0", "u-protocols: message buffers per client (0 = unlimited)", {},
       0.0},
      {"signature_bytes", "integer", "0", "self-verifying data: bytes a signature adds", {}, 0.0},
      {"sign_cpu_s", "number", "0", "self-verifying data: CPU time to sign, at the writer", {},
       0.0},
      {"verify_cpu_s", "number", "0", "self-verifying data: CPU time to verify, at the reader",
       {}, 0.0},
  };
  return kSpecs;
}

const OptionSpec* find_option(const std::string& key) {
  for (const auto& spec : option_specs()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

DataKind data_kind(QuorumFamily family) {
  switch (family) {
    case QuorumFamily::mr_masking:
    case QuorumFamily::sbq_masking:
    case QuorumFamily::sync_generic:
      return DataKind::generic;
    default:
      return DataKind::self_verifying;
  }
}

NodeContext node_context(QuorumFamily family, const RunParameters& run, NodeId id,
                         const Signer* signer) {
  NodeContext ctx;
  ctx.id = id;
  ctx.n = run.n;
  ctx.f = run.f;
  ctx.quorum = quorum_sizes(family, run.n, run.f, run.options.t);
  ctx.data = data_kind(family);
  ctx.options = run.options;
  ctx.sizes.value_bytes = run.value_bytes;
  ctx.sizes.signature_bytes =
      ctx.data == DataKind::self_verifying ? run.options.signature_bytes : 0;
  ctx.timestamp_bits = run.timestamp_bits;
  ctx.seed = run.seed;
  if (id >= static_cast<NodeId>(run.n)) {
    ctx.client_index = id - static_cast<NodeId>(run.n);
    ctx.signer = signer;
  }
  return ctx;
}

Semantics promised_semantics(QuorumFamily family) {
  return data_kind(family) == DataKind::generic ? Semantics::safe : Semantics::regular;
}

}  // namespace bqsim
