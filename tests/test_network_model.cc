// The network model without SimGrid (sim/run/link_model.h, fault_schedule.h): scheduled faults,
// Gilbert-Elliott loss against its stationary figures, fifo links, partial synchrony's pre-GST
// period, platform route latencies, and each fault's own random stream. Messages are fed by
// hand, so every figure here is the model's alone.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/input/value_readers.h"
#include "sim/run/link_model.h"

using namespace bqsim;

namespace {

constexpr int kN = 4;      // servers 0..3
constexpr int kNodes = 6;  // clients 4 and 5
constexpr NodeId kClient0 = 4, kClient1 = 5;

NodeSelector sel(const char* text) { return parse_node_selector(text).value(); }

FaultSpec link_fault(FaultKind kind, const char* from, const char* to, double from_s = 0,
                     double until_s = kForever) {
  FaultSpec f;
  f.kind = kind;
  f.from = sel(from);
  f.to = sel(to);
  f.from_s = from_s;
  f.until_s = until_s;
  return f;
}

FaultSpec partition(std::vector<std::vector<const char*>> groups, bool hold, double from_s,
                    double until_s) {
  FaultSpec f;
  f.kind = FaultKind::partition;
  f.hold = hold;
  f.from_s = from_s;
  f.until_s = until_s;
  for (const auto& g : groups) {
    std::vector<NodeSelector> group;
    for (const char* p : g) group.push_back(sel(p));
    f.groups.push_back(group);
  }
  return f;
}

NetworkSpec exponential_network(double mean_s = 0.001) {
  NetworkSpec net;
  net.delay = Distribution{DistKind::exponential, mean_s, 0};
  return net;
}

// Gilbert-Elliott figures of one link over `count` messages: loss rate and mean burst length
// (a burst: consecutive lost messages).
struct Bursts {
  double loss_rate;
  double mean_burst;
};
Bursts measure(LinkModel& model, NodeId from, NodeId to, int count) {
  int lost = 0, bursts = 0;
  bool in_burst = false;
  for (int i = 0; i < count; ++i) {
    const bool drop = model.decide(from, to, MessageType::read, 1.0).dropped;
    lost += drop;
    if (drop && !in_burst) ++bursts;
    in_burst = drop;
  }
  return {static_cast<double>(lost) / count, bursts > 0 ? static_cast<double>(lost) / bursts : 0};
}

}  // namespace

TEST_CASE("Gilbert-Elliott loss matches its stationary loss rate and burst length", "[network]") {
  // p_good_bad = 0.05, p_bad_good = 0.25, loss only in the bad state: the chain is bad a
  // fraction 0.05 / 0.30 = 1/6 of the time, and a bad run lasts 1 / 0.25 = 4 messages on
  // average. Over 1e5 messages the loss rate's standard error is about 0.003 (the states are
  // correlated: variance inflated by (1 + 0.7) / (1 - 0.7)), the burst mean's about 0.06
  // (about 4,200 geometric bursts of sd 3.5): tolerances 0.01 and 0.25 are over 3 standard
  // errors and still far below the figures a wrong model gives (no state: bursts of 1.2).
  NetworkSpec net = exponential_network();
  FaultSpec ge = link_fault(FaultKind::bursty_loss, "client:0", "server:0");
  ge.p_good_bad = 0.05;
  ge.p_bad_good = 0.25;
  net.faults = {ge};
  NetworkStats stats;
  LinkModel model(net, kN, kNodes, 11, &stats);
  const Bursts b = measure(model, kClient0, 0, 100000);
  CHECK(b.loss_rate == Approx(1.0 / 6).margin(0.01));
  CHECK(b.mean_burst == Approx(4.0).margin(0.25));
  CHECK(stats.of_type(MessageType::read, FaultEffect::dropped) ==
        static_cast<uint64_t>(std::lround(b.loss_rate * 100000)));

  // Loss in both states: the rate is the stationary mix, 0.8 * 0.02 + 0.2 * 0.5 = 0.116.
  ge.p_good_bad = 0.1;
  ge.p_bad_good = 0.4;
  ge.loss_good = 0.02;
  ge.loss_bad = 0.5;
  net.faults = {ge};
  LinkModel mixed(net, kN, kNodes, 12);
  CHECK(measure(mixed, kClient0, 0, 100000).loss_rate == Approx(0.116).margin(0.01));
}

TEST_CASE("Gilbert-Elliott keeps one state and one stream per link", "[network]") {
  // Interleaving another link's messages changes nothing on a link: its drops are the same
  // message for message as when it is used alone.
  NetworkSpec net = exponential_network();
  FaultSpec ge = link_fault(FaultKind::bursty_loss, "client:*", "*");
  ge.p_good_bad = 0.1;
  ge.p_bad_good = 0.3;
  net.faults = {ge};
  LinkModel alone(net, kN, kNodes, 5), mixed(net, kN, kNodes, 5);
  std::vector<bool> a, b;
  for (int i = 0; i < 5000; ++i) {
    a.push_back(alone.decide(kClient0, 1, MessageType::read, 0.5).dropped);
    mixed.decide(kClient1, 1, MessageType::read, 0.5);
    mixed.decide(kClient1, 2, MessageType::read, 0.5);
    b.push_back(mixed.decide(kClient0, 1, MessageType::read, 0.5).dropped);
  }
  CHECK(a == b);
  CHECK(std::count(a.begin(), a.end(), true) > 500);  // the fault did fire
}

TEST_CASE("a fifo link delivers in send order under random delays, and others reorder", "[network]") {
  // Sends every 0.1 ms with exponential delays of mean 1 ms: without fifo, later messages
  // overtake earlier ones; with fifo each delivery is the later of its own time and the
  // previous delivery on that link (the same draws: one seed).
  NetworkSpec plain = exponential_network();
  NetworkSpec fifo = plain;
  LinkOverride o;
  o.from = sel("client:0");
  o.to = sel("server:2");
  o.fifo = true;
  fifo.links = {o};
  LinkModel a(plain, kN, kNodes, 3), b(fifo, kN, kNodes, 3);
  int reordered = 0;
  double last_plain = 0, last_fifo = 0, other_last = 0;
  int other_reordered = 0;
  for (int i = 0; i < 2000; ++i) {
    const double now = i * 1e-4;
    const auto pa = a.decide(kClient0, 2, MessageType::write, now);
    const auto pb = b.decide(kClient0, 2, MessageType::write, now);
    REQUIRE((pa.copies == 1 && pb.copies == 1));
    reordered += pa.t_s[0] < last_plain;
    CHECK(pb.t_s[0] == std::max(pa.t_s[0], last_fifo));
    CHECK(pb.t_s[0] >= last_fifo);
    last_plain = pa.t_s[0];
    last_fifo = pb.t_s[0];
    // Another link of the fifo network is not fifo (both models draw it, so the sender's
    // stream stays aligned between them).
    a.decide(kClient0, 3, MessageType::write, now);
    const auto other = b.decide(kClient0, 3, MessageType::write, now);
    other_reordered += other.t_s[0] < other_last;
    other_last = other.t_s[0];
  }
  CHECK(reordered > 100);
  CHECK(other_reordered > 100);
}

TEST_CASE("link-down and loss 1 windows drop exactly the matching messages", "[network]") {
  // link-down server:3 -> clients in [1, 2); loss 1 on client:0 -> server:0 in [3, 4).
  NetworkSpec net = exponential_network();
  FaultSpec loss = link_fault(FaultKind::loss, "client:0", "server:0", 3, 4);
  loss.probability = 1;
  net.faults = {link_fault(FaultKind::link_down, "server:3", "client:*", 1, 2), loss};
  NetworkStats stats;
  LinkModel model(net, kN, kNodes, 1, &stats);
  uint64_t expected_down = 0, expected_loss = 0;
  for (int step = 0; step < 500; ++step) {
    const double now = step * 0.01;  // 0 to 4.99
    for (NodeId s = 0; s < kN; ++s) {
      for (NodeId c : {kClient0, kClient1}) {
        const bool down = s == 3 && now >= 1 && now < 2;
        CHECK(model.decide(s, c, MessageType::read_reply, now).dropped == down);
        expected_down += down;
        const bool lost = c == kClient0 && s == 0 && now >= 3 && now < 4;
        CHECK(model.decide(c, s, MessageType::read, now).dropped == lost);
        expected_loss += lost;
      }
    }
  }
  CHECK(expected_down == 200);
  CHECK(expected_loss == 100);
  CHECK(stats.of_type(MessageType::read_reply, FaultEffect::dropped) == expected_down);
  CHECK(stats.of_type(MessageType::read, FaultEffect::dropped) == expected_loss);
  CHECK(stats.by_fault.at(0)[0] == expected_down);
  CHECK(stats.by_fault.at(1)[0] == expected_loss);
}

TEST_CASE("a hold partition delivers at its heal plus the delay, and drop and open holds lose", "[network]") {
  // Constant 1 ms delay; servers 0-1 cut from the rest in [1, 2). Held messages start their
  // delay at 2; messages inside a group, or sent outside the window, are untouched.
  NetworkSpec net;
  net.delay = Distribution::constant(0.001);
  net.faults = {partition({{"server:0-1"}}, true, 1, 2)};
  NetworkStats stats;
  LinkModel model(net, kN, kNodes, 1, &stats);
  const auto held = model.decide(kClient0, 0, MessageType::read, 1.5);
  CHECK(held.copies == 1);
  CHECK(held.t_s[0] == Approx(2.001).epsilon(1e-12));
  CHECK(model.decide(1, 0, MessageType::write, 1.5).t_s[0] == Approx(1.501).epsilon(1e-12));
  CHECK(model.decide(kClient0, 2, MessageType::read, 1.5).t_s[0] == Approx(1.501).epsilon(1e-12));
  CHECK(model.decide(kClient0, 0, MessageType::read, 2.0).t_s[0] == Approx(2.001).epsilon(1e-12));
  CHECK(model.decide(kClient0, 0, MessageType::read, 0.5).t_s[0] == Approx(0.501).epsilon(1e-12));
  CHECK(stats.of_type(MessageType::read, FaultEffect::held) == 1);

  // The same partition in drop mode loses what crosses; open-ended in hold mode, it never
  // delivers (counted as held forever).
  net.faults = {partition({{"server:0-1"}, {"client:*"}}, false, 1, 2),
                partition({{"server:3"}}, true, 5, kForever)};
  NetworkStats stats2;
  LinkModel cut(net, kN, kNodes, 1, &stats2);
  // Three groups: servers 0-1, the clients, and the rest (servers 2-3).
  CHECK(cut.decide(kClient0, 0, MessageType::read, 1.5).dropped);
  CHECK(cut.decide(kClient0, 2, MessageType::read, 1.5).dropped);
  CHECK_FALSE(cut.decide(2, 3, MessageType::write, 1.5).dropped);
  CHECK_FALSE(cut.decide(kClient0, kClient1, MessageType::write, 1.5).dropped);
  CHECK(cut.decide(2, kClient1, MessageType::read_reply, 1.5).dropped);
  const auto forever = cut.decide(kClient0, 3, MessageType::read, 6);
  CHECK((forever.held_forever && !forever.dropped && forever.copies == 0));
  CHECK(stats2.of_type(MessageType::read, FaultEffect::dropped) == 2);
  CHECK(stats2.of_type(MessageType::read_reply, FaultEffect::dropped) == 1);
  CHECK(stats2.of_type(MessageType::read, FaultEffect::held_forever) == 1);
}

TEST_CASE("duplicates are two deliveries with their own delays, and delay faults add theirs", "[network]") {
  NetworkSpec net;
  net.delay = Distribution::constant(0.001);
  FaultSpec dup = link_fault(FaultKind::duplicate, "server:*", "client:0");
  dup.probability = 1;
  FaultSpec slow = link_fault(FaultKind::delay, "server:1", "client:0", 0, 1);
  slow.delay = Distribution::constant(0.004);
  net.faults = {dup, slow};
  NetworkStats stats;
  LinkModel model(net, kN, kNodes, 1, &stats);
  const auto twice = model.decide(0, kClient0, MessageType::read_reply, 0.5);
  CHECK(twice.copies == 2);
  CHECK(twice.t_s[0] == Approx(0.501).epsilon(1e-12));
  CHECK(twice.t_s[1] == Approx(0.501).epsilon(1e-12));
  const auto slowed = model.decide(1, kClient0, MessageType::read_reply, 0.5);
  CHECK(slowed.copies == 2);
  CHECK(slowed.t_s[0] == Approx(0.505).epsilon(1e-12));
  CHECK(model.decide(1, kClient0, MessageType::read_reply, 1.5).t_s[0] ==
        Approx(1.501).epsilon(1e-12));
  CHECK(model.decide(0, kClient1, MessageType::read_reply, 0.5).copies == 1);
  CHECK(stats.of_type(MessageType::read_reply, FaultEffect::duplicated) == 3);
  CHECK(stats.of_type(MessageType::read_reply, FaultEffect::delayed) == 1);

  // A probability duplicates about that share, the copy drawing its own delay.
  net.delay = Distribution{DistKind::exponential, 0.001, 0};
  dup.probability = 0.3;
  net.faults = {dup};
  LinkModel random(net, kN, kNodes, 2);
  int copies = 0, different = 0;
  for (int i = 0; i < 10000; ++i) {
    const auto f = random.decide(2, kClient0, MessageType::read_reply, 0.1);
    copies += f.copies == 2;
    different += f.copies == 2 && f.t_s[0] != f.t_s[1];
  }
  CHECK(copies == Approx(3000).margin(150));  // 3.3 standard deviations
  CHECK(different == copies);
}

TEST_CASE("adding a fault on one link leaves every other link's draws unchanged", "[network]") {
  // Same seed, same sends; the second network adds a loss on client:0 -> server:1 and a delay
  // on client:1 -> server:2. Every other link's fate is identical, and so is the base delay of
  // each message the new faults let through (the base draws come from the sender's stream).
  NetworkSpec base = exponential_network();
  base.loss_probability = 0.1;
  NetworkSpec faulty = base;
  FaultSpec loss = link_fault(FaultKind::loss, "client:0", "server:1");
  loss.probability = 0.5;
  FaultSpec slow = link_fault(FaultKind::delay, "client:1", "server:2");
  slow.delay = Distribution::constant(0.01);
  faulty.faults = {loss, slow};
  LinkModel a(base, kN, kNodes, 9), b(faulty, kN, kNodes, 9);
  int fault_drops = 0;
  for (int i = 0; i < 3000; ++i) {
    const double now = i * 1e-3;
    for (NodeId c : {kClient0, kClient1}) {
      for (NodeId s = 0; s < kN; ++s) {
        const auto fa = a.decide(c, s, MessageType::read, now);
        const auto fb = b.decide(c, s, MessageType::read, now);
        const auto ra = a.decide(s, c, MessageType::read_reply, now);
        const auto rb = b.decide(s, c, MessageType::read_reply, now);
        CHECK((ra.dropped == rb.dropped && ra.t_s[0] == rb.t_s[0]));
        if (c == kClient0 && s == 1) {
          if (!fa.dropped && fb.dropped) ++fault_drops;
          if (!fb.dropped) CHECK(fb.t_s[0] == fa.t_s[0]);
          CHECK((!fa.dropped || fb.dropped));
        } else if (c == kClient1 && s == 2) {
          CHECK(fa.dropped == fb.dropped);
          if (!fa.dropped) CHECK(fb.t_s[0] == Approx(fa.t_s[0] + 0.01).epsilon(1e-12));
        } else {
          CHECK((fa.dropped == fb.dropped && fa.t_s[0] == fb.t_s[0]));
        }
      }
    }
  }
  CHECK(fault_drops > 1000);
}

TEST_CASE("before GST delays may exceed the bound, and from GST on they never do", "[network]") {
  // partial: bound 10 ms, GST at 1 s, pre_gst_delay uniform 20..200 ms. A message sent at s
  // before GST takes its pre-GST draw but arrives by GST + bound; from GST on, the base delay
  // (uniform 1..30 ms, capped at the bound) never exceeds it. A pre_gst_hold link delivers at
  // GST plus its capped delay.
  NetworkSpec net;
  net.synchrony = Synchrony::partial;
  net.bound_s = 0.01;
  net.gst_s = 1.0;
  net.delay = Distribution{DistKind::uniform, 0.001, 0.03};
  net.pre_gst_delay = Distribution{DistKind::uniform, 0.02, 0.2};
  net.pre_gst_hold = {{sel("server:3"), sel("*")}};
  NetworkStats stats;
  LinkModel model(net, kN, kNodes, 4, &stats);
  int above = 0;
  for (int i = 0; i < 4000; ++i) {
    const double now = i * 0.0005;  // 0 to 2 s
    const auto f = model.decide(kClient0, 1, MessageType::read, now);
    const double d = f.t_s[0] - now;
    if (now < 1.0) {
      above += d > net.bound_s;
      // The pre-GST draw (at least 20 ms), capped so that it arrives by GST + bound.
      CHECK(d >= std::min(0.02, 1.01 - now) - 1e-12);
      CHECK(f.t_s[0] <= 1.0 + net.bound_s + 1e-12);
    } else {
      CHECK(d <= net.bound_s + 1e-12);
    }
    // Held until GST, then sent as if at GST: the post-GST delay, capped at the bound.
    const auto held = model.decide(3, kClient1, MessageType::read_reply, now);
    if (now < 1.0) {
      CHECK((held.t_s[0] >= 1.001 - 1e-12 && held.t_s[0] <= 1.01 + 1e-12));
    }
  }
  CHECK(above == 2000);  // every pre-GST message: its draw and its cap both exceed 10 ms
  CHECK(stats.above_bound_before_gst >= static_cast<uint64_t>(above));
  CHECK(stats.max_delay_after_gst_s <= net.bound_s);
  CHECK(stats.pre_gst[static_cast<size_t>(FaultEffect::held)] == 2000);
}

TEST_CASE("with a platform the latency model adds the route latency", "[network]") {
  // Hosts a, b, c with routes of 1, 2 and 3 ms; nodes 0..5 on a, b, c, a, b, c. Constant
  // extra delay 0.5 ms: the latency model delivers after route + 0.5 ms; the bandwidth
  // model leaves the route to SimGrid's flows and adds only the draw.
  auto topo = std::make_shared<PlatformTopology>();
  topo->hosts = {"a", "b", "c"};
  topo->latency_s = {0, 0.001, 0.003, 0.001, 0, 0.002, 0.003, 0.002, 0};
  topo->host_of = {0, 1, 2, 0, 1, 2};
  NetworkSpec net;
  net.delay = Distribution::constant(0.0005);
  net.topology = topo;
  LinkModel latency(net, kN, kNodes, 1);
  CHECK(latency.decide(0, kClient0, MessageType::read_reply, 1).t_s[0] ==
        Approx(1.0015).epsilon(1e-12));
  CHECK(latency.decide(kClient1, 0, MessageType::read, 1).t_s[0] == Approx(1.0035).epsilon(1e-12));
  CHECK(latency.decide(3, 0, MessageType::read, 1).t_s[0] == Approx(1.0005).epsilon(1e-12));
  net.model = NetModel::bandwidth;
  LinkModel bandwidth(net, kN, kNodes, 1);
  CHECK(bandwidth.decide(kClient1, 0, MessageType::read, 1).t_s[0] ==
        Approx(1.0005).epsilon(1e-12));
}
