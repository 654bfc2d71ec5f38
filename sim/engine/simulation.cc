#include "sim/engine/simulation.h"

#include <algorithm>
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

// What travels through SimGrid in the bandwidth model.
struct Envelope {
  double extra_delay_s;  // the sampled delay, applied after the transfer
  Event event;
};

}  // namespace

Simulation::Simulation(const Scenario& scenario, const Catalog& catalog, Recorder& recorder)
    : sc_(scenario),
      runtime_(scenario, catalog, recorder),
      n_(runtime_.servers()),
      nodes_count_(runtime_.nodes()),
      horizon_(scenario.limits.max_sim_time_s) {}

Simulation::~Simulation() = default;

void Simulation::build_platform(sg4::Engine& e) {
  if (!sc_.network.platform_file.empty()) {
    // The placement was resolved before the run (sim/run/placement.h).
    BQSIM_CHECK(sc_.network.topology != nullptr, "a platform file's topology resolved");
    e.load_platform(sc_.network.platform_file);
    const PlatformTopology& topo = *sc_.network.topology;
    for (int i = 0; i < nodes_count_; ++i) {
      rt_[i].host = e.host_by_name(topo.hosts[topo.host_of[i]]);
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
    rt_[i].host = host;
  }
  zone->seal();
}

EngineResult Simulation::run() {
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

  rt_ = std::vector<NodeRuntime>(nodes_count_);
  build_platform(e);
  for (int i = 0; i < nodes_count_; ++i) {
    rt_[i].wake = sg4::Semaphore::create(0);
    const std::string name = i < n_ ? "server-" + std::to_string(i)
                                    : "client-" + std::to_string(i - n_);
    if (sc_.network.model == NetModel::bandwidth) {
      rt_[i].nic = sg4::Mailbox::by_name("nic-" + std::to_string(i));
      sg4::ActorPtr nic =
          sg4::Actor::create(name + "-nic", rt_[i].host, [this, i] { nic_main(i); });
      nic->daemonize();
      rt_[i].nic->set_receiver(nic);  // eager: transfers start at send time
    }
    sg4::Actor::create(name, rt_[i].host, [this, i] { node_main(static_cast<NodeId>(i)); });
  }
  e.run();
  result_.sim_end_s = std::min(sg4::Engine::get_clock(), horizon_);
  result_.events = runtime_.events_handled();
  result_.message_limit_hit = runtime_.message_limit_hit();
  return result_;
}

void Simulation::node_main(NodeId id) {
  NodeRuntime& r = rt_[id];
  runtime_.start(id, *this);
  check_end();
  while (!stop_) {
    const double clock = sg4::Engine::get_clock();
    while (!stop_ && !r.queue.empty() && r.queue.top().t <= clock + kDueSlack_s) {
      // priority_queue::top is const; the event is popped right after, so moving is safe.
      Event e = std::move(const_cast<Event&>(r.queue.top()));
      r.queue.pop();
      runtime_.handle(std::move(e), *this);
      check_end();
    }
    if (stop_) break;
    if (clock >= horizon_) {
      result_.time_limit_hit = true;
      stop_all();
      break;
    }
    const double next = r.queue.empty() ? horizon_ : std::min(r.queue.top().t, horizon_);
    r.waiting = true;
    r.released = false;
    r.wake_at = next;
    r.wake->acquire_timeout(std::max(next - clock, 0.0));
    r.waiting = false;
  }
}

void Simulation::nic_main(NodeId id) {
  // Receives the bandwidth model's transfers for node `id` and queues them for delivery
  // after the sampled delay.
  NodeRuntime& r = rt_[id];
  while (true) {
    std::unique_ptr<Envelope> env(r.nic->get<Envelope>());
    env->event.t = sg4::Engine::get_clock() + env->extra_delay_s;
    push(id, std::move(env->event));
  }
}

void Simulation::schedule(Event&& e) {
  if (e.is_timer || sc_.network.model == NetModel::latency) {
    const NodeId to = e.to;
    push(to, std::move(e));
    return;
  }
  // The transfer starts at SimGrid's clock, but the sender's virtual time may be ahead of it
  // (CPU time it charged): that gap is added after the transfer, like the sampled delay.
  const double lag_s = std::max(0.0, e.sent_s - sg4::Engine::get_clock());
  const double extra_s = e.t - e.sent_s + lag_s;
  const NodeId from = e.from, to = e.to;
  const uint64_t bytes = e.bytes;
  auto env = std::make_unique<Envelope>(Envelope{extra_s, std::move(e)});
  NodeRuntime& r = rt_[from];
  r.transfers.push_back(rt_[to].nic->put_async(env.release(), bytes));
  // Reap finished transfers so the list stays short (kept, not detached: SIMGRID_NOTES.md).
  while (!r.transfers.empty() && r.transfers.front()->test()) r.transfers.pop_front();
}

void Simulation::push(NodeId to, Event&& e) {
  NodeRuntime& r = rt_[to];
  const double t = e.t;
  r.queue.push(std::move(e));
  if (r.waiting && !r.released && t < r.wake_at) {
    r.released = true;
    r.wake->release();
  }
}

void Simulation::check_end() {
  if (runtime_.stopped() || runtime_.finished()) stop_all();
}

void Simulation::stop_all() {
  if (stop_) return;
  stop_ = true;
  for (auto& r : rt_) {
    if (r.waiting && !r.released) {
      r.released = true;
      r.wake->release();
    }
  }
}

}  // namespace bqsim::engine
