// Logic tests of self-verifying data in the quorum protocols, driven by hand
// (tests/harness.h): unsigned pairs dropped by readers, CPU charged for signing and
// verifying, and the signature a correct server's TsReply carries.
#include <catch2/catch.hpp>
#include <string>

#include "protocols/common/quorum_protocol.h"
#include "protocols/registry.h"
#include "tests/harness.h"
#include "tests/protocol_fixture.h"

namespace bqsim::test {

TEST_CASE("self-verifying reads drop unsigned pairs and keep the newest signed one") {
  // An unregistered description over the shared client: a protocol is a parameter set.
  const ProtocolDescription sv =
      quorum_protocol("test-sbq-dissemination", "", {QuorumFamily::sbq_dissemination});
  Harness h(sv, {.f = 2});
  const OpCompleted w = full_write(h);
  CHECK(w.pair.sig != 0);
  CHECK(h.signer().verify(0, w.pair));
  const OpId op = read_by_hand(h);
  // f+1 replies: one forged with a huge ts (unsigned), the rest the signed latest pair.
  h.inject(0, h.client_id(0), ReadReply{op, 0, kForged});
  for (int s = 1; s < h.q.read_replies; ++s)
    h.inject(static_cast<NodeId>(s), h.client_id(0), ReadReply{op, 0, w.pair});
  REQUIRE(h.completion(op) != nullptr);
  CHECK(h.completion(op)->pair == w.pair);
}

TEST_CASE("CPU charges: one signature per write, one verification per counted reply") {
  // Shows where self-verifying data costs CPU time (Outbox::cpu_s); generic data costs none.
  ProtocolOptions options;
  options.sign_cpu_s = 0.5;  // binary fractions, so the sums below are exact
  options.verify_cpu_s = 0.125;
  for (const auto& p : protocol_registry()) {
    CAPTURE(p.name);
    Harness h(p, {.f = 1, .options = options});
    const bool sv = data_kind(p.family(options)) == DataKind::self_verifying;
    const OpId w = h.write();
    while (h.deliver_first(of_type(MessageType::ts_query))) {
    }
    for (int i = 0; i + 1 < h.q.ts_replies; ++i) {
      REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
      CHECK(h.last_cpu_s == (sv ? 0.125 : 0));
    }
    // The reply that ends the timestamp phase is checked, then the pair is signed.
    REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
    CHECK(h.last_cpu_s == (sv ? 0.625 : 0));
    h.deliver_all();
    REQUIRE(h.completion(w) != nullptr);
    CHECK(h.cpu_s == (sv ? 0.5 + 0.125 * h.q.ts_replies : 0));  // late replies cost nothing
    h.cpu_s = 0;
    const OpId r = h.read();
    h.deliver_all();
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.cpu_s == (sv ? 0.125 * h.q.read_replies : 0));
  }
}

TEST_CASE("the server's TsReply carries the stored pair's signature only on self-verifying data") {
  // Shows the correct server ships the signed pair with its timestamp only where it can be checked.
  for (const std::string name : {"mr-masking", "mr-dissemination"}) {
    Harness h(protocol(name), {.f = 1});
    CAPTURE(name);
    const Pair w = full_write(h).pair;
    h.inject(h.client_id(0), 0, TsQuery{999, 0});
    const auto* reply = std::get_if<TsReply>(&h.queue.back().msg);
    REQUIRE(reply != nullptr);
    CHECK(reply->ts == w.ts);
    if (name == "mr-masking") {
      CHECK(reply->value == 0);
      CHECK(reply->sig == 0);
    } else {
      CHECK(reply->value == w.value);
      CHECK(reply->sig == w.sig);
      CHECK(h.signer().verify(0, Pair{reply->value, reply->ts, reply->sig}));
    }
  }
}

}  // namespace bqsim::test
