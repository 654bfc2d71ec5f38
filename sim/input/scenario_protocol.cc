// The protocol section of a scenario: the protocol's name, f, n and the options it accepts.
#include "sim/input/scenario_internal.h"
#include "sim/input/value_readers.h"
#include "sim/model/check.h"
#include "sim/model/quorum.h"

namespace bqsim::scenario_detail {
namespace {

// Limits on everything (STYLE.md), far above any run a workstation completes.
constexpr int kMaxF = 10000;
constexpr int kMaxServers = 100000;

}  // namespace

void read_protocol(JsonObject p, Walk& w) {
  ProtocolSpec& spec = w.s.protocol;
  const auto names = names_of(*w.catalog.protocols);
  if (auto v = p.get("name")) spec.name = names[v->choice(names)];
  w.protocol = w.catalog.find_protocol(spec.name);
  if (w.protocol == nullptr) w.fail("/protocol/name", one_of(names), "nothing");
  std::vector<std::string> allowed = {"name", "f", "n"};
  allowed.insert(allowed.end(), w.protocol->option_keys.begin(), w.protocol->option_keys.end());
  p.allow(allowed, "one of name, f, n" +
                       (w.protocol->option_keys.empty()
                            ? " (" + spec.name + " takes no options)"
                            : " or an option of " + spec.name + " (" +
                                  join(w.protocol->option_keys) + ")"));
  if (auto v = p.get("f")) spec.f = static_cast<int>(v->integer(Range::closed(0, kMaxF)));
  for (const std::string& key : w.protocol->option_keys) {
    const OptionSpec* option = find_option(key);
    BQSIM_CHECK(option != nullptr, "a protocol lists an option that option_specs() lacks");
    if (auto v = p.get(key)) {
      // Options land in int or uint32 fields.
      apply_option(spec.options, key, read_declared(*option, *v, 2147483647.0));
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
  BQSIM_CHECK(static_cast<bool>(w.protocol->family), "a protocol without a family");
  w.family = w.protocol->family(spec.options);
  // "f+1-th" is safe only where f+1 correct repliers hold the latest counter, i.e. with
  // masking quorums (§4). Dissemination intersections guarantee one correct holder, so the
  // (f+1)-th counter can lag the latest write and a new write would not supersede it.
  // Self-verifying data defeats inflation by verifying timestamps instead (§6).
  if (spec.options.ts_choice == TsChoice::f1th && data_kind(w.family) == DataKind::self_verifying) {
    p.get("ts_choice").value().fail(
        "'max' for self-verifying data (f+1-th needs masking quorums; signed timestamps "
        "already defeat inflation)");
  }
  const int n_min = min_servers(w.family, spec.f, spec.options.t);
  if (auto v = p.get("n")) {
    spec.n = static_cast<int>(v->integer(Range::closed(1, kMaxServers)));
    if (spec.n < n_min) {
      if (!w.s.allow_unsafe) {
        const bool sync = w.family == QuorumFamily::sync_generic ||
                          w.family == QuorumFamily::sync_self_verifying;
        v->fail(fault_rule(w.family) + " = " + std::to_string(n_min) + " for " + spec.name +
                " with f=" + std::to_string(spec.f) +
                (sync ? " and t=" + std::to_string(spec.options.t) : ""));
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
