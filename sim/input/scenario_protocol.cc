// The protocol section of a scenario: the protocol's name, f, n and the options it accepts.
#include "sim/input/scenario_internal.h"
#include "sim/input/scenario_limits.h"
#include "sim/input/value_readers.h"
#include "sim/model/check.h"
#include "sim/model/quorum.h"

namespace bqsim::scenario_detail {
using namespace scenario_limits;

void read_protocol(JsonObject p, Walk& w) {
  ProtocolSpec& spec = w.s.protocol;
  const auto names = names_of(*w.catalog.protocols);
  if (auto v = p.get("name")) spec.name = names[v->choice(names)];
  w.protocol = w.catalog.find_protocol(spec.name);
  if (w.protocol == nullptr) w.fail("/protocol/name", one_of(names), "nothing");
  const std::vector<const ProtocolOption*> options = w.protocol->options();
  std::vector<std::string> allowed = {"name", "f", "n"}, option_keys;
  for (const ProtocolOption* o : options) option_keys.push_back(o->spec.key);
  allowed.insert(allowed.end(), option_keys.begin(), option_keys.end());
  p.allow(allowed, "one of name, f, n" +
                       (option_keys.empty() ? " (" + spec.name + " takes no options)"
                                            : " or an option of " + spec.name + " (" +
                                                  join(option_keys) + ")"));
  if (auto v = p.get("f")) spec.f = static_cast<int>(v->integer(Range::closed(0, kMaxF)));
  for (const ProtocolOption* option : options) {
    const std::string& key = option->spec.key;
    if (auto v = p.get(key)) {
      store_option(spec.options, *option, read_declared(option->spec, *v));
      if (key == "timeout_s") w.timeout_given = spec.options.timeout_s > 0;
      if (key == "t" && spec.options.t > spec.f) {
        v->fail("an integer <= f = " + std::to_string(spec.f));
      }
    }
  }
  // After the loop: the two keys may come in either order in option_keys.
  if (spec.options.retransmit_cap_s < spec.options.retransmit_initial_s) {
    if (auto cap = p.get("retransmit_cap_s")) {
      cap->fail("a number >= retransmit_initial_s = " +
                format_number(spec.options.retransmit_initial_s));
    }
    p.get("retransmit_initial_s")
        .value()  // one of the two was given: the defaults are in order
        .fail("a number <= retransmit_cap_s = " + format_number(spec.options.retransmit_cap_s));
  }
  w.family = w.protocol->family(spec.options);
  const FamilyTraits traits = family_traits(w.family);
  // "f+1-th" is safe only where f+1 correct repliers hold the latest counter, i.e. with
  // masking quorums (§4, asserted by quorum.h's check_properties). Dissemination intersections
  // guarantee one correct holder, so the (f+1)-th counter can lag the latest write and a new
  // write would not supersede it. Self-verifying data defeats inflation by verifying
  // timestamps instead (§6).
  if (spec.options.ts_choice == TsChoice::f1th && !traits.masking) {
    p.get("ts_choice").value().fail(
        "'max' for self-verifying data (f+1-th needs masking quorums; signed timestamps "
        "already defeat inflation)");
  }
  const int n_min = min_servers(w.family, spec.f, spec.options.t);
  if (auto v = p.get("n")) {
    spec.n = static_cast<int>(v->integer(Range::closed(1, kMaxServers)));
    if (spec.n < n_min) {
      if (!w.s.allow_unsafe) {
        // Only the synchronous families' rule names t (n >= 2f+1+t).
        const bool with_t = traits.synchrony == SynchronyNeed::sync;
        v->fail(fault_rule(w.family) + " = " + std::to_string(n_min) + " for " + spec.name +
                " with f=" + std::to_string(spec.f) +
                (with_t ? " and t=" + std::to_string(spec.options.t) : ""));
      }
      w.s.unsafe = true;
    }
  } else {
    spec.n = n_min;
  }
  // §5 finite buffers: an operation locks n buffers at once (step FIRST), so a pool smaller
  // than n could never start one. 0 means unlimited.
  if (spec.options.buffers != 0 && spec.options.buffers < spec.n) {
    if (auto v = p.get("buffers")) {
      v->fail("0 or at least n = " + std::to_string(spec.n));
    }
  }
  p.finish();
}

}  // namespace bqsim::scenario_detail
