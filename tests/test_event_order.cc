// The event order is bqsim's own (sim/run/event.h): simultaneous events are handled by key,
// never in the order an engine happened to create or run them, and events caused at an
// instant come after everything already due at it. Checked with probe nodes on both engines
// (the SimGrid engine in a child process: one SimGrid engine per process), and on the queues
// themselves against a sorted reference.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/engine/engine.h"
#include "sim/input/scenario_reader.h"
#include "sim/native/event_heap.h"
#include "sim/native/native_engine.h"
#include "sim/run/event_queue.h"
#include "sim/run/runtime.h"

namespace bqsim {
namespace {

// Node 3 receives three messages due at t = 2 ms: from node 2, sent first of all (at 0, over
// a 2 ms link); from node 1, sent at 1 ms over a 1 ms link; and from node 0, sent at 2 ms
// itself over a 0 ms link, by a timer due at that instant. By key, node 1's message comes
// before node 2's (same round, smaller sender), and node 0's comes last although its sender
// id is the smallest: it was caused at the instant, so it is of the next round.
constexpr const char* kTieScenario = R"({
  "name": "tie", "protocol": {"name": "sbq-masking", "f": 1},
  "workload": {"clients": 1, "ops_per_client": 1},
  "network": {"delay": {"dist": "constant", "value_s": 0.001}, "links": [
    {"from": "server:0", "to": "server:3", "delay": {"dist": "constant", "value_s": 0}},
    {"from": "server:1", "to": "server:3", "delay": {"dist": "constant", "value_s": 0.001}},
    {"from": "server:2", "to": "server:3", "delay": {"dist": "constant", "value_s": 0.002}}]}
})";

struct Arrival {
  NodeId from;
  double t;
};

class Probe : public Node {
 public:
  Probe(NodeId id, std::vector<Arrival>* log) : id_(id), log_(log) {}
  void on_start(double, Outbox& out) override {
    if (id_ == 0) out.set_timer(0.002, 1);
    if (id_ == 1) out.set_timer(0.001, 1);
    if (id_ == 2) out.send(3, ReadRequest{OpId{2}, 0});
  }
  void on_timer(TimerId, double, Outbox& out) override { out.send(3, ReadRequest{OpId{id_}, 0}); }
  void on_message(NodeId from, const Message&, double now_s, Outbox&) override {
    log_->push_back(Arrival{from, now_s});
  }

 private:
  NodeId id_;
  std::vector<Arrival>* log_;
};

class IdleClient : public Node {
 public:
  void on_message(NodeId, const Message&, double, Outbox&) override {}
};

struct TieRun {
  std::vector<Arrival> arrivals;
  RunStats stats;
};

TieRun run_tie(bool simgrid) {
  const Catalog catalog{&protocol_registry(), &behaviour_registry()};
  const Scenario sc = read_scenario_text(kTieScenario, "tie.json", {}, catalog);
  TieRun run;
  NodeSet nodes = build_node_set(sc, catalog);
  for (NodeId id = 0; id < 4; ++id) nodes.nodes[id] = std::make_unique<Probe>(id, &run.arrivals);
  nodes.nodes[4] = std::make_unique<IdleClient>();
  Recorder recorder(sc.protocol.n, std::vector<bool>(sc.protocol.n, false));
  Runtime runtime(sc, std::move(nodes), recorder);
  run.stats = simgrid ? run_simgrid(runtime) : run_native(runtime);
  return run;
}

// The SimGrid run happens in a child process, which reports the arrivals through a pipe.
TieRun run_tie_on_simgrid() {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    const TieRun r = run_tie(true);
    const uint64_t count = r.arrivals.size();
    bool ok = ::write(fds[1], &count, sizeof count) == sizeof count &&
              ::write(fds[1], &r.stats, sizeof r.stats) == sizeof r.stats;
    for (const Arrival& a : r.arrivals) ok = ok && ::write(fds[1], &a, sizeof a) == sizeof a;
    std::_Exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  TieRun r;
  uint64_t count = 0;
  bool ok = ::read(fds[0], &count, sizeof count) == sizeof count &&
            ::read(fds[0], &r.stats, sizeof r.stats) == sizeof r.stats;
  for (uint64_t i = 0; ok && i < count; ++i) {
    Arrival a{};
    ok = ::read(fds[0], &a, sizeof a) == sizeof a;
    r.arrivals.push_back(a);
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(ok);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return r;
}

}  // namespace

TEST_CASE("simultaneous events are handled by key on both engines", "[event-order]") {
  // Node 3's arrivals at 2 ms come as the key orders them: 1, 2 (round 0), then 0 (round 1).
  for (const bool simgrid : {false, true}) {
    CAPTURE(simgrid);
    const TieRun r = simgrid ? run_tie_on_simgrid() : run_tie(false);
    REQUIRE(r.arrivals.size() == 3);
    CHECK(r.arrivals[0].from == 1);
    CHECK(r.arrivals[1].from == 2);
    CHECK(r.arrivals[2].from == 0);
    for (const Arrival& a : r.arrivals) CHECK(a.t == 0.002);
    CHECK(r.stats.events == 5);  // three messages, two timers
    CHECK(r.stats.sim_end_s == 0.002);
    CHECK_FALSE(r.stats.time_limit_hit);
  }
}

namespace {

Event random_event(std::mt19937_64& g, NodeId nodes) {
  Event e;
  // Few distinct times and rounds, so most keys tie on their first fields.
  e.t = 0.001 * static_cast<double>(g() % 4);
  e.round = static_cast<uint32_t>(g() % 2);
  e.from = static_cast<NodeId>(g() % nodes);
  e.counter = g();  // keys are unique in a run (event.h): so here too, almost surely
  e.copy = static_cast<uint32_t>(g() % 2);
  e.to = static_cast<NodeId>(g() % nodes);
  if (g() % 5 == 0) {
    e.is_timer = true;
    e.timer = g();
  } else {
    e.msg = WriteRequest{g(), static_cast<Key>(g() % 7), Pair{g(), Timestamp{g(), 3}, g()}};
  }
  return e;
}

}  // namespace

TEST_CASE("both engines' queues pop in key order and keep every field", "[event-order]") {
  // Pushes and pops interleaved: each pop is the smallest key pending (native: globally;
  // per-node queues: their index's node holds it), and the event comes back whole.
  std::mt19937_64 g(7);
  const NodeId nodes = 5;
  EventHeap heap;
  EventQueues queues(nodes);
  std::vector<Event> pending;
  for (int step = 0; step < 20000; ++step) {
    if (pending.empty() || g() % 3 != 0) {
      const Event e = random_event(g, nodes);
      heap.push(e);
      queues.push(e);
      pending.push_back(e);
      continue;
    }
    const auto smallest = std::min_element(pending.begin(), pending.end(), handled_before);
    const Event expected = *smallest;
    pending.erase(smallest);
    const Event a = heap.pop();
    REQUIRE(queues.next_node() == expected.to);
    const Event b = queues.pop(queues.next_node());
    for (const Event& got : {a, b}) {
      REQUIRE_FALSE(handled_before(got, expected));
      REQUIRE_FALSE(handled_before(expected, got));
      CHECK(got.to == expected.to);
      CHECK(got.is_timer == expected.is_timer);
      if (got.is_timer) CHECK(got.timer == expected.timer);
      if (!got.is_timer) CHECK(got.msg == expected.msg);
    }
  }
}

TEST_CASE("every message type survives the queues' packing", "[event-order]") {
  // pack/unpack copy fields by name; a field they missed would be lost in every run.
  const Pair pair{123, Timestamp{456, 7}, 890};
  const std::vector<Message> all = {
      TsQuery{1, 2},       TsReply{3, 4, Timestamp{5, 6}, 7, 8}, ReadRequest{9, 10},
      ReadReply{11, 12, pair}, WriteRequest{13, 14, pair},      WriteAck{15, 16, Timestamp{17, 18}}};
  REQUIRE(all.size() == kMessageTypes);
  for (const Message& m : all) {
    Event e;
    e.t = 1.5;
    e.round = 2;
    e.from = 3;
    e.counter = 4;
    e.copy = 5;
    e.to = 6;
    e.msg = m;
    const Event back = unpack(pack(e), 6);
    CHECK(back.msg == m);
    CHECK(back.key().t == 1.5);
    CHECK(back.round == 2);
    CHECK(back.from == 3);
    CHECK(back.counter == 4);
    CHECK(back.copy == 5);
  }
}

}  // namespace bqsim
