#include "sim/engine/simulation.h"

#include <algorithm>
#include <fstream>
#include <cmath>
#include <string>

#include "sim/model/check.h"

namespace sg4 = simgrid::s4u;

namespace bqsim::engine {
namespace {

// An event is due when SimGrid's clock has reached its time, within the kernel's timing
// precision (surf/precision, 1e-9 s by default): a timed wait may return that close to, but
// short of, its deadline. Handlers are given the event's own time, never the clock, so
// latencies follow bqsim's arithmetic exactly.
constexpr double kDueSlack_s = 1e-9;

// Each actor's stack, in KiB. The nodes are sans-IO: an actor's stack holds only the event
// loop, one handler's frames and SimGrid's calls. scripts/measure_stack.py measured at most
// 4 KB used (3.2 KB in the latency model, 4.0 KB with the bandwidth model's transfers) over
// every shipped scenario and adversary; 64 KiB leaves a 16x margin, and SimGrid's guard page
// below each stack turns an overflow into a reported crash. SimGrid's default, 8 MiB, made
// runs of ten thousand nodes reserve 80 GiB of address space.
constexpr int kActorStackKiB = 64;
constexpr int kUnguardedStackKiB = 32;
// Mappings a run needs besides the actors' stacks: libraries, heap arenas, large blocks.
constexpr long kOtherMappings = 8192;

// The kernel's limit on a process's memory mappings.
long max_map_count() {
  std::ifstream in("/proc/sys/vm/max_map_count");
  long n = 65530;  // Linux's default
  in >> n;
  return n;
}

// What travels through SimGrid in the bandwidth model.
struct Envelope {
  double extra_delay_s;  // the sampled delay, applied after the transfer
  Event event;
};

}  // namespace

Simulation::Simulation(Runtime& runtime)
    : runtime_(runtime),
      sc_(runtime.scenario()),
      bandwidth_(sc_.network.model == NetModel::bandwidth),
      n_(runtime.servers()),
      nodes_count_(runtime.nodes()),
      queues_(runtime.nodes()),
      horizon_(runtime.horizon_s()) {}

Simulation::~Simulation() = default;

void Simulation::build_platform(sg4::Engine& e) {
  if (!sc_.network.platform_file.empty()) {
    // The placement was resolved before the run (sim/run/placement.h).
    BQSIM_CHECK(sc_.network.topology != nullptr, "a platform file's topology resolved");
    e.load_platform(sc_.network.platform_file);
    const PlatformTopology& topo = *sc_.network.topology;
    for (int i = 0; i < nodes_count_; ++i) {
      actors_[i].host = e.host_by_name(topo.hosts[topo.host_of[i]]);
    }
    return;
  }
  // Default: a star, one host per node, each with a private link to the centre. Only the
  // bandwidth model sends bytes over the links; the latency model uses the hosts for actors.
  auto* zone = sg4::create_star_zone("bqsim");
  for (int i = 0; i < nodes_count_; ++i) {
    const std::string name = i < n_ ? "server-" + std::to_string(i)
                                    : "client-" + std::to_string(i - n_);
    sg4::Host* host = zone->create_host(name, 1e9);
    if (sc_.network.model == NetModel::bandwidth) {
      sg4::Link* link = zone->create_link(name + "-link", sc_.network.bandwidth_Bps)
                            ->set_latency(sc_.network.link_latency_s)
                            ->seal();
      zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                      {sg4::LinkInRoute(link)}, true);
    }
    actors_[i].host = host;
  }
  zone->seal();
}

RunStats Simulation::run() {
  // Silence SimGrid's configuration chatter; bqsim reports what matters itself.
  int argc = 2;
  char arg0[] = "bqsim";
  char arg1[] = "--log=root.thres:critical";
  char* argv[] = {arg0, arg1, nullptr};
  sg4::Engine e(&argc, argv);
  // Latencies must mean what the scenario says: CM02 with unit factors gives exactly
  // latency + size / bandwidth, instead of LV08's 13.01x latency factor.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/latency-factor:1");
  sg4::Engine::set_config("network/bandwidth-factor:1");
  sg4::Engine::set_config("network/crosstraffic:0");
  // Every wait with a deadline is a sleep action on the host's CPU model. The trace-integration
  // CPU model handles them about 20% faster than the default lazy one (measured: 524 vs
  // 669 ns per timed wait), and bqsim's speed is bounded by those waits.
  sg4::Engine::set_config("cpu/optim:TI");
  // A guard page below each stack splits its mapping in two, and Linux caps the mappings of
  // a process (vm.max_map_count, 65,530 by default): past that many actors, SimGrid aborts.
  // There the stacks go unguarded instead; SimGrid then allocates them zeroed, so every page
  // is resident and they are made smaller (still 8x the measured use).
  const int actors = nodes_count_ * (bandwidth_ ? 2 : 1);
  const bool guarded = 2 * static_cast<long>(actors) + kOtherMappings < max_map_count();
  const int stack_kib = guarded ? kActorStackKiB : kUnguardedStackKiB;
  sg4::Engine::set_config("contexts/stack-size:" + std::to_string(stack_kib));
  probe_.set_stack_bytes(size_t{1024} * stack_kib);
  if (!guarded) sg4::Engine::set_config("contexts/guard-size:0");

  actors_ = std::vector<NodeActor>(nodes_count_);
  build_platform(e);
  if (!bandwidth_) {
    // Starts in id order, before any actor runs, as in every engine (Runtime::start). The
    // bandwidth model's starts send through SimGrid, so its actors start themselves.
    for (NodeId id = 0; id < static_cast<NodeId>(nodes_count_) && !runtime_.over(); ++id) {
      runtime_.start(id, *this);
    }
    stop_ = runtime_.over();
  }
  for (int i = 0; i < nodes_count_; ++i) {
    actors_[i].wake = sg4::Semaphore::create(0);
    const std::string name = i < n_ ? "server-" + std::to_string(i)
                                    : "client-" + std::to_string(i - n_);
    if (bandwidth_) {
      actors_[i].nic = sg4::Mailbox::by_name("nic-" + std::to_string(i));
      sg4::ActorPtr nic =
          sg4::Actor::create(name + "-nic", actors_[i].host, [this, i] { nic_main(i); });
      nic->daemonize();
      actors_[i].nic->set_receiver(nic);  // eager: transfers start at send time
    }
    sg4::Actor::create(name, actors_[i].host, [this, i] { node_main(static_cast<NodeId>(i)); });
  }
  e.run();
  probe_.report();
  RunStats stats = runtime_.stats();
  stats.peak_pending_events = peak_pending_;
  stats.queue_bytes = queues_.bytes_reserved();
  return stats;
}

bool Simulation::out_of_events() const {
  if (bandwidth_) {
    if (started_ < nodes_count_) return false;  // a node yet to start will send
    // Transfers still crossing the network may yet queue events: only the clock reaching the
    // horizon, or nothing in flight at all, ends the run.
    if (queues_.empty()) return runtime_.in_flight() == 0 || sg4::Engine::get_clock() >= horizon_;
    return queues_.next_time(queues_.next_node()) > horizon_ &&
           sg4::Engine::get_clock() >= horizon_;
  }
  return queues_.empty() || queues_.next_time(queues_.next_node()) > horizon_;
}

void Simulation::node_main(NodeId id) {
  char first_local = 0;
  probe_.paint(&first_local);
  NodeActor& a = actors_[id];
  if (bandwidth_ && !stop_) {
    runtime_.start(id, *this);
    ++started_;
    if (runtime_.over()) stop_all();
  }
  while (!stop_) {
    if (out_of_events()) {
      stop_all();
      break;
    }
    if (queues_.has_events(id) && queues_.next_node() == id) {
      // This node holds the earliest event: handle it, at once in the latency model
      // (run-ahead), when SimGrid's clock reaches it in the bandwidth model.
      const double t = queues_.next_time(id);
      if (bandwidth_ && t > sg4::Engine::get_clock() + kDueSlack_s) {
        wait(a, std::min(t, horizon_));
        continue;
      }
      runtime_.handle(queues_.pop(id), *this);
      if (runtime_.over()) stop_all();
      continue;
    }
    // Not this node's turn. Latency model: wait without a deadline; whoever holds the turn
    // wakes this actor when its node's event becomes the earliest (hand_over). A timed wait
    // per hand-over (SimGrid's clock stepping to each event's time) cost half as much again in
    // all: a timer per distinct delivery time was this engine's floor. Bandwidth model: sleep until
    // the node's earliest event is due, or the horizon, or park (no deadline) when that time
    // has come but an earlier key holds the turn.
    double deadline = kNoDeadline;
    if (bandwidth_) {
      deadline = queues_.has_events(id) ? queues_.next_time(id) : kNoDeadline;
      if (deadline <= sg4::Engine::get_clock() + kDueSlack_s) deadline = kNoDeadline;
      deadline = std::min(deadline, horizon_);
    }
    // Marked waiting before handing over: releasing a semaphore is a SimGrid call, during
    // which the actor woken may already run and hand the turn back.
    a.waiting = true;
    a.released = false;
    a.wake_at = deadline;
    hand_over();
    block(a);
  }
  probe_.measure(&first_local);
}

void Simulation::hand_over() {
  if (queues_.empty()) return;
  const NodeId next = queues_.next_node();
  NodeActor& a = actors_[next];
  if (a.waiting && !a.released && a.wake_at > queues_.next_time(next)) {
    a.released = true;
    a.wake->release();
  }
}

void Simulation::wait(NodeActor& a, double deadline) {
  a.waiting = true;
  a.released = false;
  a.wake_at = deadline;
  block(a);
}

void Simulation::block(NodeActor& a) {
  if (a.wake_at == kNoDeadline) {
    a.wake->acquire();
  } else {
    a.wake->acquire_timeout(std::max(a.wake_at - sg4::Engine::get_clock(), 0.0));
  }
  a.waiting = false;
}

void Simulation::nic_main(NodeId id) {
  // Receives the bandwidth model's transfers for node `id` and queues them for delivery
  // after the rest of their delay.
  NodeActor& a = actors_[id];
  while (true) {
    std::unique_ptr<Envelope> env(a.nic->get<Envelope>());
    env->event.t = sg4::Engine::get_clock() + env->extra_delay_s;
    env->event.round = 0;
    push(std::move(env->event));
  }
}

void Simulation::schedule(Event&& e) {
  if (e.is_timer || !bandwidth_) {
    push(std::move(e));
    return;
  }
  // The transfer starts at SimGrid's clock, but the sender's virtual time may be ahead of it
  // (CPU time it charged): that gap is added after the transfer, like the sampled delay.
  const double lag_s = std::max(0.0, e.sent_s - sg4::Engine::get_clock());
  const double extra_s = e.t - e.sent_s + lag_s;
  const NodeId from = e.from, to = e.to;
  const uint64_t bytes = e.bytes;
  auto env = std::make_unique<Envelope>(Envelope{extra_s, std::move(e)});
  NodeActor& a = actors_[from];
  a.transfers.push_back(actors_[to].nic->put_async(env.release(), bytes));
  // Reap finished transfers so the list stays short (kept, not detached: SIMGRID_NOTES.md).
  while (!a.transfers.empty() && a.transfers.front()->test()) a.transfers.pop_front();
}

void Simulation::push(Event&& e) {
  const NodeId to = e.to;
  const double t = e.t;
  queues_.push(e);
  peak_pending_ = std::max(peak_pending_, queues_.size());
  // The latency model hands the turn over lazily (hand_over); in the bandwidth model a NIC
  // actor queues events behind the nodes' backs, so a node whose wait ends too late for a new
  // event is woken now to wait again.
  NodeActor& a = actors_[to];
  if (bandwidth_ && a.waiting && !a.released && t < a.wake_at) {
    a.released = true;
    a.wake->release();
  }
}

void Simulation::stop_all() {
  if (stop_) return;
  stop_ = true;
  for (auto& a : actors_) {
    if (a.waiting && !a.released) {
      a.released = true;
      a.wake->release();
    }
  }
}

}  // namespace bqsim::engine
