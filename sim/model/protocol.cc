#include "sim/model/protocol.h"

#include <algorithm>

#include "sim/model/check.h"

namespace bqsim {

FamilyTraits family_traits(QuorumFamily family) {
  constexpr DataKind gen = DataKind::generic, sv = DataKind::self_verifying;
  constexpr SynchronyNeed any = SynchronyNeed::any, sync = SynchronyNeed::sync;
  constexpr Channels reliable = Channels::reliable, fair_loss = Channels::fair_loss;
  constexpr Semantics safe = Semantics::safe, regular = Semantics::regular;
  // No default: a new family must say what it is here before anything can use it.
  switch (family) {
    //                                            data masking synchrony channels  promises
    case QuorumFamily::mr_masking:          return {gen, true,  any,  reliable,  safe};
    case QuorumFamily::mr_dissemination:    return {sv,  false, any,  reliable,  regular};
    case QuorumFamily::sbq_masking:         return {gen, true,  any,  reliable,  safe};
    case QuorumFamily::sbq_dissemination:   return {sv,  false, any,  reliable,  regular};
    case QuorumFamily::sync_generic:        return {gen, true,  sync, reliable,  safe};
    case QuorumFamily::sync_self_verifying: return {sv,  false, sync, reliable,  regular};
    case QuorumFamily::u_masking:           return {gen, true,  any,  fair_loss, safe};
    case QuorumFamily::u_dissemination:     return {sv,  false, any,  fair_loss, regular};
  }
  BQSIM_CHECK(false, "a quorum family outside the enum");
  return {};
}

DataKind data_kind(QuorumFamily family) { return family_traits(family).data; }

Semantics promised_semantics(QuorumFamily family) { return family_traits(family).promises; }

QuorumFamily ProtocolDescription::family(const ProtocolOptions& options) const {
  BQSIM_CHECK(!families.empty(), "a protocol without a quorum family");
  if (families.size() == 1) return families[0];
  for (QuorumFamily f : families) {
    if (data_kind(f) == options.data) return f;
  }
  BQSIM_CHECK(false, "a protocol without a family for the chosen data kind");
  return families[0];
}

bool ProtocolDescription::accepts(const ProtocolOption& option) const {
  const auto any = [&](auto&& pred) {
    return std::any_of(families.begin(), families.end(),
                       [&](QuorumFamily f) { return pred(family_traits(f)); });
  };
  switch (option.accepted_by) {
    case AcceptedBy::every_protocol: return true;
    case AcceptedBy::untimed_waits:
      // A timed phase trusts, at T, that it holds every correct reply: it must ask everyone.
      return !any([](const FamilyTraits& t) { return t.synchrony == SynchronyNeed::sync; });
    case AcceptedBy::synchronous:
      return any([](const FamilyTraits& t) { return t.synchrony == SynchronyNeed::sync; });
    case AcceptedBy::data_choice:
      return any([](const FamilyTraits& t) { return t.data == DataKind::generic; }) &&
             any([](const FamilyTraits& t) { return t.data == DataKind::self_verifying; });
    case AcceptedBy::fair_loss:
      return any([](const FamilyTraits& t) { return t.channels == Channels::fair_loss; });
    case AcceptedBy::self_verifying:
      return any([](const FamilyTraits& t) { return t.data == DataKind::self_verifying; });
  }
  return false;
}

std::vector<const ProtocolOption*> ProtocolDescription::options() const {
  std::vector<const ProtocolOption*> out;
  for (const ProtocolOption& o : protocol_options()) {
    if (accepts(o)) out.push_back(&o);
  }
  return out;
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

}  // namespace bqsim
