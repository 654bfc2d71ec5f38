// A TEST-ONLY protocol, written as README "Adding a protocol" says: its description in one
// file over the shared server and client, registered by one line of the test registry
// (registry.cc here, as protocols/registry.cc for real protocols). Nothing in sim/ names it:
// its options and mechanics follow from its quorum family's traits.
//
// example-sbq: a-dissemination's arithmetic (self-verifying data, reads wait for f+1 replies,
// writes to all without acks) under a new name; as a reliable-channel family it accepts the
// common and signature options and retransmits nothing.
#include "protocols/common/quorum_protocol.h"
#include "tests/examples/registry.h"

namespace bqsim::test {

ProtocolDescription example_protocol() {
  return quorum_protocol("example-sbq",
                         "test-only example: a-dissemination's quorums under another name",
                         {QuorumFamily::sbq_dissemination});
}

}  // namespace bqsim::test
