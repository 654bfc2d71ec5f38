// Logic tests of the full protocol suite (dissemination, sync-threshold, u-protocols), driven by
// hand through tests/harness.h. Message counts, latest-value reads, signatures, timers.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "protocols/common/quorum_client.h"
#include "protocols/registry.h"
#include "tests/harness.h"

namespace bqsim::test {
namespace {

const ProtocolDescription& protocol(const std::string& name) {
  for (const auto& p : protocol_registry()) {
    if (p.name == name) return p;
  }
  FAIL("no protocol " << name);
  throw;  // unreachable: FAIL throws
}

constexpr double kT = 1.0;  // sync-threshold's time-out in these tests

// One registered protocol with the options that select its variant.
struct Variant {
  std::string name;
  ProtocolOptions options;
};

ProtocolOptions sync_options(DataKind data, int t = 0) {
  ProtocolOptions o;
  o.timeout_s = kT;
  o.data = data;
  o.t = t;
  return o;
}

std::vector<Variant> all_variants(int t = 0) {
  return {{"mr-masking", {}},
          {"mr-dissemination", {}},
          {"sbq-masking", {}},
          {"sbq-dissemination", {}},
          {"sync-threshold", sync_options(DataKind::generic, t)},
          {"sync-threshold", sync_options(DataKind::self_verifying, t)},
          {"u-masking", {}},
          {"u-dissemination", {}}};
}

std::vector<Variant> self_verifying_variants() {
  std::vector<Variant> v;
  for (const Variant& x : all_variants()) {
    if (data_kind(protocol(x.name).family(x.options)) == DataKind::self_verifying) v.push_back(x);
  }
  return v;
}

Harness make(const Variant& v, int f, int extra = 0, uint32_t clients = 1) {
  const QuorumFamily family = protocol(v.name).family(v.options);
  return Harness(protocol(v.name), {.n = min_servers(family, f, v.options.t) + extra,
                                    .f = f,
                                    .clients = clients,
                                    .options = v.options});
}

OpCompleted full_op(Harness& h, OpId op) {
  h.deliver_all();
  REQUIRE(h.completion(op) != nullptr);
  return *h.completion(op);
}

// Starts a read and removes its requests, so the test decides every reply by hand.
OpId read_by_hand(Harness& h) {
  const OpId op = h.read();
  REQUIRE(h.drop_if(of_type(MessageType::read)) == static_cast<size_t>(h.n));
  return op;
}

// Pairs a Byzantine server might offer for key 0 instead of `w` (a signed pair it holds):
// an unsigned forgery, a garbage signature, w's signature on a higher ts, w's pair signed for
// another key. None verifies.
std::vector<Pair> bad_pairs(const Harness& h, const Pair& w) {
  const Timestamp high{uint64_t{1} << 40, w.ts.writer};
  return {Pair{kForgedBit | 7, high, 0}, Pair{kForgedBit | 8, high, 0x1234567},
          Pair{w.value, high, w.sig}, Pair{w.value, high, h.signer().sign(1, w.value, high)}};
}

}  // namespace

TEST_CASE("the registry describes each protocol: family, traits and exact option keys") {
  // Shows that `bqsim list` and the scenario reader see each protocol as the issue specifies it.
  using Keys = std::set<std::string>;
  const Keys common = {"contact", "contact_widen_s", "ts_choice"};
  const Keys sig = {"signature_bytes", "sign_cpu_s", "verify_cpu_s"};
  const Keys retx = {"retransmit_initial_s", "retransmit_backoff", "retransmit_cap_s", "buffers"};
  auto join = [](std::initializer_list<Keys> lists) {
    Keys k;
    for (const Keys& l : lists) k.insert(l.begin(), l.end());
    return k;
  };
  struct Expected {
    std::string name;
    QuorumFamily family;
    Keys keys;
    bool sync, fair_loss;
  };
  const std::vector<Expected> expected = {
      {"mr-masking", QuorumFamily::mr_masking, common, false, false},
      {"mr-dissemination", QuorumFamily::mr_dissemination, join({common, sig}), false, false},
      {"sbq-masking", QuorumFamily::sbq_masking, common, false, false},
      {"sbq-dissemination", QuorumFamily::sbq_dissemination, join({common, sig}), false, false},
      {"sync-threshold", QuorumFamily::sync_generic,
       join({{"ts_choice", "t", "timeout_s", "data"}, sig}), true, false},
      {"u-masking", QuorumFamily::u_masking, join({common, retx}), false, true},
      {"u-dissemination", QuorumFamily::u_dissemination, join({common, retx, sig}), false, true},
  };
  REQUIRE(protocol_registry().size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const ProtocolDescription& p = protocol_registry()[i];
    CAPTURE(p.name);
    CHECK(p.name == expected[i].name);
    CHECK_FALSE(p.summary.empty());
    CHECK(p.family({}) == expected[i].family);
    Keys keys;
    for (const ProtocolOption* o : p.options()) keys.insert(o->spec.key);
    CHECK(keys == expected[i].keys);
    CHECK(p.options().size() == expected[i].keys.size());  // no key listed twice
    const FamilyTraits t = p.traits({});
    CHECK((t.synchrony == SynchronyNeed::sync) == expected[i].sync);
    CHECK((t.channels == Channels::fair_loss) == expected[i].fair_loss);
  }
  CHECK(protocol("sync-threshold").family(sync_options(DataKind::self_verifying)) ==
        QuorumFamily::sync_self_verifying);
}

TEST_CASE("without loss every read costs 2n messages, an acknowledged write 4n, an SBQ write 3n") {
  // Shows PROTOCOLS.md §7's message counts for every protocol and variant, at and above n_min.
  for (int f = 0; f <= 2; ++f) {
    for (const Variant& v : all_variants(f)) {
      for (int extra : {0, 2}) {
        Harness h = make(v, f, extra);
        const bool acks = h.q.write_acks > 0;
        CAPTURE(v.name, v.options.data == DataKind::generic, f, h.n);
        CHECK(acks == (v.name.rfind("sbq-", 0) != 0));
        const OpCompleted w = full_op(h, h.write());
        CHECK(w.outcome == Outcome::ok);
        CHECK_FALSE(w.slow);
        CHECK(w.retransmissions == 0);
        CHECK(h.sent_of(MessageType::ts_query) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::ts_reply) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::write) == static_cast<uint64_t>(h.n));
        CHECK(h.sent_of(MessageType::write_ack) == (acks ? static_cast<uint64_t>(h.n) : 0));
        CHECK(h.total_sent() == static_cast<uint64_t>((acks ? 4 : 3) * h.n));

        h.reset_counts();
        const OpCompleted r = full_op(h, h.read());
        CHECK(r.pair == w.pair);
        CHECK_FALSE(r.slow);
        CHECK(h.sent_of(MessageType::read) == static_cast<uint64_t>(h.n));
        CHECK(h.total_sent() == static_cast<uint64_t>(2 * h.n));
        for (uint64_t k : h.retransmitted) CHECK(k == 0);
      }
    }
  }
}

TEST_CASE("every protocol's reads return the latest completed write of two writers") {
  // Shows every protocol reads the initial pair, then the newest of two writers' pairs (§4).
  for (const Variant& v : all_variants(1)) {
    Harness h = make(v, 1, 0, 2);
    CAPTURE(v.name, v.options.data == DataKind::generic);
    const bool sv = data_kind(protocol(v.name).family(v.options)) == DataKind::self_verifying;
    // Before any write: the initial pair, unsigned and valid by convention (not bottom).
    const OpCompleted r0 = full_op(h, h.read(1));
    CHECK(r0.outcome == Outcome::ok);
    CHECK(r0.pair == Pair{});
    const OpCompleted w1 = full_op(h, h.write(0));
    CHECK(w1.pair.value == make_value(0, 1));
    CHECK(w1.pair.ts == Timestamp{1, 1});
    CHECK((w1.pair.sig != 0) == sv);
    if (sv) CHECK(h.signer().verify(0, w1.pair));
    CHECK(full_op(h, h.read(1)).pair == w1.pair);
    const OpCompleted w2 = full_op(h, h.write(1));
    CHECK(w2.pair.ts == Timestamp{2, 2});
    const OpCompleted r = full_op(h, h.read(0));
    CHECK(r.outcome == Outcome::ok);
    CHECK(r.pair == w2.pair);
  }
}

TEST_CASE("self-verifying reads never return an unsigned, forged or re-labelled pair") {
  // Shows f liars cannot get a bad pair read, and more liars only get bottom (§1, §4).
  for (const Variant& v : self_verifying_variants()) {
    for (int f = 1; f <= 3; ++f) {
      Harness h = make(v, f);
      CAPTURE(v.name, f);
      const Pair w = full_op(h, h.write()).pair;
      const std::vector<Pair> bad = bad_pairs(h, w);
      // f liars, each with a pair of larger ts than w, then correct replies up to r.
      OpId op = read_by_hand(h);
      for (int s = 0; s < h.q.read_replies; ++s) {
        const Pair p = s < f ? bad[static_cast<size_t>(s) % bad.size()] : w;
        h.inject(static_cast<NodeId>(s), h.client_id(0), ReadReply{op, 0, p});
      }
      REQUIRE(h.completion(op) != nullptr);
      CHECK(h.completion(op)->outcome == Outcome::ok);
      CHECK(h.completion(op)->pair == w);
      // Only liars answer (more than f: beyond the model): the read finds nothing valid.
      op = read_by_hand(h);
      for (int s = 0; s < h.q.read_replies; ++s) {
        h.inject(static_cast<NodeId>(s), h.client_id(0),
                 ReadReply{op, 0, bad[static_cast<size_t>(s) % bad.size()]});
      }
      REQUIRE(h.completion(op) != nullptr);
      CHECK(h.completion(op)->outcome == Outcome::bottom);
    }
  }
}

TEST_CASE("on self-verifying data an unverifiable timestamp is a reply with counter 0 (§6)") {
  // Shows timestamp inflation fails on signed data, under both ts_choice values (§6).
  for (const Variant& v : self_verifying_variants()) {
    for (const TsChoice choice : {TsChoice::max, TsChoice::f1th}) {
      Variant vc = v;
      vc.options.ts_choice = choice;
      Harness h = make(vc, 1);
      CAPTURE(v.name, choice == TsChoice::max);
      const NodeId client = h.client_id(0);
      const Pair w = full_op(h, h.write()).pair;
      // The correct server's TsReply carries the stored pair's value and signature.
      h.write();
      REQUIRE(h.deliver_first(of_type(MessageType::ts_query)));
      const auto* real = std::get_if<TsReply>(&h.queue.back().msg);
      REQUIRE(real != nullptr);
      CHECK(Pair{real->value, real->ts, real->sig} == w);
      h.queue.clear();

      uint64_t last = w.ts.counter;
      for (const Pair& bad : bad_pairs(h, w)) {
        const OpId op = h.write();
        h.drop_if(of_type(MessageType::ts_query));
        // One inflated reply (f = 1), the others w's valid pair: the phase ends on the
        // ts_replies-th reply and the inflated counter is ignored even under "max".
        for (int s = 0; s < h.q.ts_replies; ++s) {
          const Pair p = s == 0 ? bad : w;
          CHECK(h.queued(MessageType::write) == 0);
          h.inject(static_cast<NodeId>(s), client, TsReply{op, 0, p.ts, p.value, p.sig});
        }
        REQUIRE(h.queued(MessageType::write) == static_cast<size_t>(h.n));
        const auto* store = std::get_if<WriteRequest>(&h.queue.back().msg);
        REQUIRE(store != nullptr);
        CHECK(store->pair.ts.counter == ++last);
        h.deliver_all();
        REQUIRE(h.completion(op) != nullptr);
      }
      // A validly signed larger pair is followed under "max": verification rejects only liars.
      const Pair signed7{w.value, Timestamp{70, 1}, h.signer().sign(0, w.value, {70, 1})};
      const OpId op = h.write();
      h.drop_if(of_type(MessageType::ts_query));
      for (int s = 0; s < h.q.ts_replies; ++s) {
        const Pair p = s == 0 ? signed7 : w;
        h.inject(static_cast<NodeId>(s), client, TsReply{op, 0, p.ts, p.value, p.sig});
      }
      h.deliver_all();
      REQUIRE(h.completion(op) != nullptr);
      CHECK(h.completion(op)->pair.ts.counter == (choice == TsChoice::max ? 71 : last + 1));
    }
  }
}

TEST_CASE("sync-threshold: each phase ends on the (n-t)-th reply, not slow, and its timer goes stale") {
  // Shows sync-threshold is self-timed: n-t replies end each phase, and the timer is then stale.
  for (const DataKind data : {DataKind::generic, DataKind::self_verifying}) {
    for (int t = 0; t <= 2; ++t) {
      Harness h = make({"sync-threshold", sync_options(data, t)}, 2);
      CAPTURE(data == DataKind::generic, t, h.n);
      const size_t needed = static_cast<size_t>(h.n - t);
      const auto step = [&](MessageType request, MessageType reply) {
        while (h.deliver_first(of_type(request))) {
        }
        for (size_t i = 0; i + 1 < needed; ++i) REQUIRE(h.deliver_first(of_type(reply)));
      };
      const OpId w = h.write();
      REQUIRE(h.timers.size() == 1);
      CHECK(h.timers[0].delay_s == kT + QuorumClient::kTimeoutSlack_s);
      step(MessageType::ts_query, MessageType::ts_reply);
      CHECK(h.queued(MessageType::write) == 0);
      REQUIRE(h.deliver_first(of_type(MessageType::ts_reply)));
      CHECK(h.queued(MessageType::write) == static_cast<size_t>(h.n));
      REQUIRE(h.timers.size() == 2);
      // The timestamp phase's timer is stale: it sends nothing and ends nothing.
      uint64_t sent = h.total_sent();
      h.fire_timer(0);
      CHECK(h.total_sent() == sent);
      step(MessageType::write, MessageType::write_ack);
      CHECK(h.completion(w) == nullptr);
      REQUIRE(h.deliver_first(of_type(MessageType::write_ack)));
      REQUIRE(h.completion(w) != nullptr);
      CHECK_FALSE(h.completion(w)->slow);
      CHECK(h.completion(w)->write_quorum.empty());  // effective completion counts all n
      const Pair written = h.completion(w)->pair;

      const OpId r = h.read();
      step(MessageType::read, MessageType::read_reply);
      CHECK(h.completion(r) == nullptr);
      REQUIRE(h.deliver_first(of_type(MessageType::read_reply)));
      REQUIRE(h.completion(r) != nullptr);
      CHECK_FALSE(h.completion(r)->slow);
      CHECK(h.completion(r)->pair == written);
      // The store's and the read's timers are stale too.
      sent = h.total_sent();
      while (!h.timers.empty()) h.fire_timer(0);
      CHECK(h.total_sent() == sent);
      CHECK(h.completed.size() == 2);
    }
  }
}

TEST_CASE("sync-threshold with t+1 silent servers: every phase ends at T, slow, with what it has") {
  // Shows a read takes T and a write 2T once more than t servers are silent (§5, §7).
  for (const DataKind data : {DataKind::generic, DataKind::self_verifying}) {
    Harness h = make({"sync-threshold", sync_options(data, 1)}, 2);  // f = 2, t = 1
    CAPTURE(data == DataKind::generic, h.n);
    const auto silence = [&] { h.drop_if([](const Envelope& e) { return e.to < 2; }); };
    const OpId w = h.write();
    silence();
    h.deliver_all();  // n - 2 timestamp replies: one short of n - t
    CHECK(h.queued(MessageType::write) == 0);
    REQUIRE(h.fire_next_timer());
    CHECK(h.now == Approx(kT));
    CHECK(h.queued(MessageType::write) == static_cast<size_t>(h.n));
    silence();
    h.deliver_all();
    CHECK(h.completion(w) == nullptr);
    REQUIRE(h.fire_next_timer());
    REQUIRE(h.completion(w) != nullptr);
    CHECK(h.now == Approx(2 * kT));  // a write takes 2T
    CHECK(h.completion(w)->slow);
    CHECK(h.completion(w)->pair.ts == Timestamp{1, 1});

    const double start = h.now;
    const OpId r = h.read();
    silence();
    h.deliver_all();
    CHECK(h.completion(r) == nullptr);
    REQUIRE(h.fire_next_timer());
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.now - start == Approx(kT));  // a read takes T
    CHECK(h.completion(r)->slow);
    CHECK(h.completion(r)->outcome == Outcome::ok);
    CHECK(h.completion(r)->pair == h.completion(w)->pair);

    // Timed out with nothing that qualifies (generic: f votes < f+1; self-verifying: a
    // forgery): bottom.
    const OpId r2 = read_by_hand(h);
    const Pair p = h.completion(w)->pair;
    const int replies = data == DataKind::generic ? h.f : 1;
    for (int s = 0; s < replies; ++s) {
      h.inject(static_cast<NodeId>(s), h.client_id(0),
               ReadReply{r2, 0, data == DataKind::generic ? p : bad_pairs(h, p)[0]});
    }
    REQUIRE(h.fire_next_timer());
    REQUIRE(h.completion(r2) != nullptr);
    CHECK(h.completion(r2)->slow);
    CHECK(h.completion(r2)->outcome == Outcome::bottom);

    // A timestamp phase with no reply at all still picks a fresh counter.
    const OpId w2 = h.write();
    h.queue.clear();
    REQUIRE(h.fire_next_timer());
    REQUIRE(h.queued(MessageType::write) == static_cast<size_t>(h.n));
    CHECK(std::get<WriteRequest>(h.queue.front().msg).pair.ts == Timestamp{2, 1});
    h.queue.clear();
    REQUIRE(h.fire_next_timer());
    REQUIRE(h.completion(w2) != nullptr);
    CHECK(h.completion(w2)->slow);
  }
}

TEST_CASE("sync-threshold with an unresolved timeout_s = 0 arms no timer at all") {
  // Shows an unresolved time-out disables the timer instead of ending every phase at once.
  Harness h = make({"sync-threshold", sync_options(DataKind::generic)}, 1);
  ProtocolOptions o = sync_options(DataKind::generic);
  o.timeout_s = 0;
  Harness h0 = make({"sync-threshold", o}, 1);
  h.read();
  h0.read();
  CHECK(h.timers.size() == 1);
  CHECK(h0.timers.empty());
}

TEST_CASE("u-protocols resend only to servers that have not answered, backing off to the cap") {
  // Shows the u-protocols' resend set and back-off sequence: initial, x backoff, capped (§5).
  for (const std::string name : {"u-masking", "u-dissemination"}) {
    ProtocolOptions o;
    o.retransmit_initial_s = 0.05;
    o.retransmit_backoff = 2;
    o.retransmit_cap_s = 0.15;
    Harness h = make({name, o}, 1);
    CAPTURE(name);
    const OpId op = h.read();
    // Servers below `answering` answer; the others lose the request: one reply short.
    const NodeId answering = static_cast<NodeId>(h.q.read_replies - 1);
    const size_t silent = static_cast<size_t>(h.n) - answering;
    h.drop_if([&](const Envelope& e) { return e.to >= answering; });
    h.deliver_all();
    std::vector<double> delays;
    for (int round = 0; round < 4; ++round) {
      REQUIRE(h.timers.size() == 1);
      delays.push_back(h.timers[0].delay_s);
      h.fire_timer(0);
      CHECK(h.completion(op) == nullptr);
      CHECK(h.queue.size() == silent);
      for (const Envelope& e : h.queue) {
        CHECK(e.to >= answering);
        CHECK(e.retransmission);
        CHECK(type_of(e.msg) == MessageType::read);
      }
      h.queue.clear();  // lost again
    }
    CHECK_THAT(delays, Catch::Matchers::Approx(std::vector<double>{0.05, 0.1, 0.15, 0.15}));
    CHECK(h.retransmitted_of(MessageType::read) == 4 * silent);
    CHECK(h.sent_of(MessageType::read) == h.n + 4 * silent);
    // The fifth resend gets through; a duplicate request is answered too, but counts once.
    h.fire_timer(0);
    h.inject(h.client_id(0), 0, ReadRequest{op, 0});
    CHECK(h.queued(MessageType::read_reply) == 1);
    h.deliver_all();
    REQUIRE(h.completion(op) != nullptr);
    CHECK(h.completion(op)->outcome == Outcome::ok);
    CHECK(h.completion(op)->retransmissions == 5 * silent);
    // The phase's retransmission timer is stale now.
    const uint64_t sent = h.total_sent();
    REQUIRE(h.timers.size() == 1);
    h.fire_timer(0);
    CHECK(h.total_sent() == sent);
  }
}

TEST_CASE("u-protocols under loss: requests = n per phase + resends, and replies = requests in") {
  // Shows the message-count invariants the simulation tests rely on, under a lossy pattern.
  for (const std::string name : {"u-masking", "u-dissemination"}) {
    for (const size_t every : {2, 3, 5}) {  // drop every `every`-th message
      Harness h = make({name, {}}, 1);
      CAPTURE(name, every);
      for (const OpKind kind : {OpKind::write, OpKind::read}) {
        h.reset_counts();
        h.timers.clear();  // the previous operation's, all stale
        const OpId op = h.start(0, kind);
        size_t seen = 0;
        for (int guard = 0; guard < 10000 && h.completion(op) == nullptr; ++guard) {
          if (h.queue.empty()) {
            REQUIRE(h.fire_next_timer());
          } else if (++seen % every == 0) {
            h.queue.pop_front();
          } else {
            h.deliver(0);
          }
        }
        REQUIRE(h.completion(op) != nullptr);
        const auto sent = [&](MessageType t) { return h.sent_of(t); };
        const auto retx = [&](MessageType t) { return h.retransmitted_of(t); };
        const uint64_t n = static_cast<uint64_t>(h.n), w = kind == OpKind::write;
        CHECK(sent(MessageType::ts_query) == w * n + retx(MessageType::ts_query));
        CHECK(sent(MessageType::write) == w * n + retx(MessageType::write));
        CHECK(sent(MessageType::read) == (1 - w) * n + retx(MessageType::read));
        CHECK(sent(MessageType::ts_reply) == h.delivered[size_t(MessageType::ts_query)]);
        CHECK(sent(MessageType::write_ack) == h.delivered[size_t(MessageType::write)]);
        CHECK(sent(MessageType::read_reply) == h.delivered[size_t(MessageType::read)]);
        const uint64_t resent = retx(MessageType::ts_query) + retx(MessageType::write) +
                                retx(MessageType::read);
        if (every == 2) CHECK(resent > 0);  // the loss did make the client resend
        CHECK(h.completion(op)->retransmissions == resent);
        for (MessageType t : {MessageType::ts_reply, MessageType::write_ack,
                              MessageType::read_reply}) {
          CHECK(retx(t) == 0);  // servers never resend on their own
        }
      }
    }
  }
}

}  // namespace bqsim::test
