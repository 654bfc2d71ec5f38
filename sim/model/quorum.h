// All quorum sizes in bqsim come from this one pure function (PROTOCOLS.md §3), which asserts
// the intersection and liveness properties each protocol's correctness rests on.
#pragma once

#include <string>

namespace bqsim {

// The quorum families: the arithmetic of quorum sizes, and (protocol.h, family_traits()) what
// each is besides: data kind, masking, synchrony and channel needs, promised semantics.
// Protocols that differ only in mechanics the traits do not name share a family;
// sync-threshold has one family per data kind.
enum class QuorumFamily {
  mr_masking,           // generic data, n >= 4f+1, quorum ceil((n+2f+1)/2)
  mr_dissemination,     // self-verifying, n >= 3f+1, quorum ceil((n+f+1)/2)
  sbq_masking,          // generic, n >= 3f+1, read 2f+1, write to all, no acks
  sbq_dissemination,    // self-verifying, n >= 2f+1, read f+1, write to all, no acks
  sync_generic,         // generic, n >= 2f+1+t, read/ack n-t or time-out
  sync_self_verifying,  // self-verifying, n >= f+1+t, read/ack n-t or time-out
  u_masking,            // mr_masking's sizes on fair-loss channels (resends until answered)
  u_dissemination       // mr_dissemination's sizes on fair-loss channels
};
// Every family, for tests and listings that go through all of them. A new family goes here
// too (the switches of quorum.cc and protocol.cc name it through -Wswitch).
inline constexpr QuorumFamily kQuorumFamilies[] = {
    QuorumFamily::mr_masking,   QuorumFamily::mr_dissemination, QuorumFamily::sbq_masking,
    QuorumFamily::sbq_dissemination, QuorumFamily::sync_generic,
    QuorumFamily::sync_self_verifying, QuorumFamily::u_masking, QuorumFamily::u_dissemination};

struct QuorumSizes {
  int n = 0;
  int f = 0;
  int t = 0;             // sync-threshold's threshold (0 elsewhere)
  int n_min = 0;         // smallest n for which the protocol is safe and live with f faults
  int read_replies = 0;  // r: replies a read waits for
  int ts_replies = 0;    // replies the timestamp phase waits for
  int write_reach = 0;   // servers the store phase is sent to and must reach
  int write_acks = 0;    // acknowledgements the store phase waits for (0: returns on send)
  int vouch = 0;         // identical replies that vouch for a pair (1: a valid signature)
};

// Smallest n for f faults (and threshold t for the sync families). REQUIRES: f >= 0, 0 <= t <= f.
int min_servers(QuorumFamily family, int f, int t = 0);
// The rule as users read it: "n >= 3f+1", "n >= 2f+1+t".
std::string fault_rule(QuorumFamily family);

// Sizes for n servers and f faults. Works for any n >= 1 so that allow_unsafe runs below the
// minimum still have definite (capped at n) sizes; when n >= min_servers() it asserts
// (always on) the properties of check_properties().
QuorumSizes quorum_sizes(QuorumFamily family, int n, int f, int t = 0);

// The properties that make the family correct for these sizes; returns "" when they all hold,
// else a description of the first that fails. Holds for every n >= min_servers().
//  - liveness: every quorum waited for is at most n - f (f servers may be silent);
//  - masking: a read quorum meets the latest completed write in >= 2f+1 servers, so >= f+1
//    correct ones out-vote f liars;
//  - dissemination: that intersection holds >= f+1 servers, so >= 1 correct holder;
//  - masking families, which allow ts_choice "f+1-th": the timestamp phase's repliers meet the
//    latest completed write in >= 2f+1 servers, so >= f+1 correct ones report a counter at
//    least the latest's, and the (f+1)-th largest counter is one of theirs or larger (§4).
std::string check_properties(QuorumFamily family, const QuorumSizes& q);

}  // namespace bqsim
