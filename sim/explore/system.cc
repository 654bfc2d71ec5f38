#include "sim/explore/system.h"

#include <algorithm>
#include <utility>

#include "adversaries/forge.h"
#include "sim/input/json_reader.h"
#include "sim/model/check.h"
#include "sim/model/random.h"
#include "sim/run/node_set.h"
#include "sim/run/workload.h"

namespace bqsim {
namespace {

// Limits on everything (STYLE.md): exploration is for small configurations, and bitmaps and
// op counts stay small with these.
constexpr int kMaxServers = 64;
constexpr size_t kMaxOps = 64;

// Domain tags, so that a fact of one kind never hashes like a fact of another.
enum : uint64_t { kFactInvoked = 1, kFactCompleted, kFactApplied, kPendingTag, kStateTag };

Hash128 fact_invoked(const OpInvoked& e, uint32_t t) {
  StateHasher h(kFactInvoked);
  h.add(e.op);
  h.add(e.client);
  h.add(static_cast<uint64_t>(e.kind));
  h.add(e.key);
  h.add(e.value);
  h.add(t);
  return h.digest();
}

Hash128 fact_completed(const OpCompleted& e, uint32_t t) {
  StateHasher h(kFactCompleted);
  h.add(e.op);
  h.add(static_cast<uint64_t>(e.outcome));
  h.add(e.pair);
  h.add(e.slow);
  h.add(e.retransmissions);
  std::vector<NodeId> quorum = e.write_quorum;  // a set for effective completion
  std::sort(quorum.begin(), quorum.end());
  h.add(quorum.size());
  for (NodeId s : quorum) h.add(s);
  h.add(t);
  return h.digest();
}

Hash128 fact_applied(const WriteApplied& e, uint32_t t) {
  StateHasher h(kFactApplied);
  h.add(e.server);
  h.add(e.op);
  h.add(e.key);
  h.add(e.ts);
  h.add(t);
  return h.digest();
}

std::string op_label(OpId op) {
  return "c" + std::to_string(op >> 32) + "." + std::to_string(op & 0xffffffffULL);
}

std::string pair_label(const Pair& p) {
  std::string s = value_label(p.value) + "@" + to_string(p.ts);
  if (p.sig != 0) s += " signed";
  return s;
}

}  // namespace

Hash128 State::fingerprint() const {
  StateHasher h(kStateTag);
  for (const Hash128& nh : node_hash) h.add(nh);
  h.add(pending_sum);
  h.add(history_sum);
  h.add(clock);
  return h.digest();
}

ExploreSystem::ExploreSystem(const Scenario& sc, const Catalog& catalog,
                             const ExploreOptions& options)
    : sc_(sc), opt_(options) {
  const std::string& file = sc.source_file;
  const ProtocolDescription* proto = catalog.find_protocol(sc.protocol.name);
  BQSIM_CHECK(proto != nullptr, "the scenario reader validated the protocol name");
  family_ = proto->family(sc.protocol.options);
  promised_ = promised_semantics(family_);
  n_ = sc.protocol.n;
  if (family_traits(family_).synchrony == SynchronyNeed::sync) {
    throw InputError(file, "/protocol/name",
                     "a protocol for asynchronous networks (explore tries every order of "
                     "delivery so a time-out could fire before any delay bound)",
                     quote(sc.protocol.name));
  }
  if (sc.workload.ops_per_client == 0) {
    throw InputError(file, "/workload/duration_s",
                     "ops_per_client or script (exploration needs a finite workload)",
                     format_number(sc.workload.duration_s));
  }
  if (sc.network.loss_probability > 0) {
    throw InputError(file, "/network/loss_probability",
                     "0 (explore delivers every message: it does not model loss)",
                     format_number(sc.network.loss_probability));
  }
  for (size_t i = 0; i < sc.network.links.size(); ++i) {
    const auto& loss = sc.network.links[i].loss_probability;
    if (loss && *loss > 0) {
      throw InputError(file, "/network/links/" + std::to_string(i) + "/loss_probability",
                       "0 (explore delivers every message: it does not model loss)",
                       format_number(*loss));
    }
  }
  if (!sc.network.faults.empty()) {
    throw InputError(file, "/network/faults",
                     "no scheduled faults (explore delivers every message once: it does not "
                     "model drops or duplicates)",
                     std::to_string(sc.network.faults.size()) + " faults");
  }
  for (size_t i = 0; i < sc.network.links.size(); ++i) {
    if (sc.network.links[i].fifo.value_or(false)) {
      throw InputError(file, "/network/links/" + std::to_string(i) + "/fifo",
                       "false (explore tries every order of delivery: FIFO links would make "
                       "some of its counterexamples impossible)",
                       "true");
    }
  }
  if (n_ > kMaxServers) {
    throw InputError(file, "/protocol/n",
                     "at most " + std::to_string(kMaxServers) + " servers for explore",
                     std::to_string(n_));
  }
  if (total_ops() > kMaxOps) {
    throw InputError(file, "/workload",
                     "at most " + std::to_string(kMaxOps) + " operations in all for explore",
                     std::to_string(total_ops()));
  }

  byzantine_.assign(static_cast<size_t>(n_), false);
  if (options.byzantine) {
    const int k = *options.byzantine;
    if (k < 0 || k > n_) {
      throw InputError("--byzantine", "", "a count from 0 to n = " + std::to_string(n_),
                       std::to_string(k));
    }
    if (k > sc.protocol.f && !sc.allow_unsafe) {
      throw InputError("--byzantine", "",
                       "at most f = " + std::to_string(sc.protocol.f) +
                           " Byzantine servers (or allow_unsafe in the scenario)",
                       std::to_string(k));
    }
    for (int s = 0; s < k; ++s) byzantine_[static_cast<size_t>(s)] = true;
  } else {
    for (const auto& b : sc.byzantine) {
      for (NodeId s : b.servers) byzantine_[s] = true;
    }
  }
  for (int s = 0; s < n_; ++s) {
    if (byzantine_[static_cast<size_t>(s)]) byzantine_ids_.push_back(static_cast<NodeId>(s));
  }

  // The nodes, as build_node_set makes them (sim/run/node_set.cc), with two differences: a
  // Byzantine server is the correct one inside a menu server, whatever the scenario scripts,
  // and the TEST-ONLY mutation reaches every context.
  const RunParameters run = run_parameters(sc);
  signer_ = std::make_unique<Signer>(mix64(sc.seed ^ hash_name("signer")));
  const uint64_t largest =
      sc.timestamp_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << sc.timestamp_bits) - 1;
  BehaviourSpec forge_spec;
  forge_spec.kind = "forge";
  forge_spec.params = {{"kind", "forge"},
                       {"coalition", "explore"},
                       {"ts_counter", std::min(Forge::kDefaultTsCounter, largest)}};
  const Pair coalition_pair = Forge::proposal(forge_spec);
  for (int s = 0; s < n_; ++s) {
    NodeContext ctx = node_context(family_, run, static_cast<NodeId>(s), nullptr);
    ctx.mutation = options.mutation;
    std::unique_ptr<Node> server = proto->make_server(ctx);
    if (byzantine_[static_cast<size_t>(s)]) {
      server = std::make_unique<MenuServer>(ctx, std::move(server), coalition_pair);
    }
    initial_nodes_.push_back(std::move(server));
  }
  for (uint32_t c = 0; c < sc.workload.clients; ++c) {
    NodeContext ctx =
        node_context(family_, run, static_cast<NodeId>(n_) + c, signer_.get());
    ctx.mutation = options.mutation;
    initial_nodes_.push_back(std::make_unique<WorkloadClient>(proto->make_client(ctx),
                                                              sc.workload, c, sc.seed));
  }
  for (const auto& node : initial_nodes_) {
    StateHasher h;
    if (node->clone() == nullptr || !node->hash_state(h)) {
      throw InputError(file, "/protocol/name",
                       "a protocol whose nodes can be copied and fingerprinted (node.h)",
                       quote(sc.protocol.name));
    }
  }
}

size_t ExploreSystem::total_ops() const {
  if (!sc_.workload.script.empty()) {
    size_t k = 0;
    for (const auto& ops : sc_.workload.script) k += ops.size();
    return k;
  }
  return size_t{sc_.workload.clients} * sc_.workload.ops_per_client;
}

Pending ExploreSystem::make_pending(Pending::Kind kind, NodeId from, NodeId to,
                                    const Message* msg, TimerId timer) const {
  Pending p;
  p.kind = kind;
  p.from = from;
  p.to = to;
  p.timer = timer;
  StateHasher h(kPendingTag);
  h.add(static_cast<uint64_t>(kind));
  h.add(from);
  h.add(to);
  h.add(timer);
  if (msg != nullptr) {
    p.msg = *msg;
    h.add(*msg);
  }
  p.hash = h.digest();
  return p;
}

State ExploreSystem::initial() const {
  State s;
  s.nodes = initial_nodes_;
  s.node_hash.resize(initial_nodes_.size());
  for (size_t i = 0; i < initial_nodes_.size(); ++i) {
    StateHasher h(i);
    initial_nodes_[i]->hash_state(h);
    s.node_hash[i] = h.digest();
  }
  // Servers start at once (they do nothing at start); each client's start is a move of its
  // own, so a client may begin before, during or after another's operations.
  for (int id = 0; id < n_; ++id) {
    std::unique_ptr<Node> node = s.nodes[static_cast<size_t>(id)]->clone();
    Outbox out;
    node->on_start(0, out);
    absorb(s, static_cast<NodeId>(id), std::move(node), out, nullptr);
  }
  for (size_t id = static_cast<size_t>(n_); id < s.nodes.size(); ++id) {
    Pending p = make_pending(Pending::Kind::start, static_cast<NodeId>(id),
                             static_cast<NodeId>(id), nullptr, 0);
    s.pending_sum += p.hash;
    s.pending.push_back(std::move(p));
  }
  return s;
}

std::vector<MenuChoice> ExploreSystem::choices(const State& s, const Pending& p) const {
  if (p.kind == Pending::Kind::message && p.to < static_cast<NodeId>(n_) && byzantine_[p.to]) {
    const auto* menu = static_cast<const MenuServer*>(s.nodes[p.to].get());
    return menu->choices(p.from, p.msg);
  }
  return {MenuChoice{}};
}

std::vector<Move> ExploreSystem::moves(const State& s) const {
  std::vector<Move> out;
  if (opt_.reduce) {
    for (uint32_t i = 0; i < s.pending.size(); ++i) {
      const Pending& p = s.pending[i];
      if (p.kind == Pending::Kind::message && s.nodes[p.to]->ignores_forever(p.from, p.msg)) {
        out.push_back(Move{i, MenuChoice{}, true});
        return out;
      }
    }
  }
  for (uint32_t i = 0; i < s.pending.size(); ++i) {
    // Equal pending events (a resent request, two equal timers) are one move.
    bool repeat = false;
    for (uint32_t j = 0; j < i && !repeat; ++j) repeat = s.pending[j].hash == s.pending[i].hash;
    if (repeat) continue;
    for (const MenuChoice& c : choices(s, s.pending[i])) out.push_back(Move{i, c, false});
  }
  return out;
}

State ExploreSystem::apply(const State& s, const Move& m, std::vector<Logged>* log) const {
  State next = s;
  const Pending p = next.pending[m.pending];
  next.pending.erase(next.pending.begin() + m.pending);
  next.pending_sum -= p.hash;
  std::unique_ptr<Node> node = s.nodes[p.to]->clone();
  if (m.choice != MenuChoice{}) static_cast<MenuServer&>(*node).choose(m.choice);
  Outbox out;
  const double now = next.clock;
  switch (p.kind) {
    case Pending::Kind::start: node->on_start(now, out); break;
    case Pending::Kind::message: node->on_message(p.from, p.msg, now, out); break;
    case Pending::Kind::timer: node->on_timer(p.timer, now, out); break;
  }
  const Hash128 before = s.node_hash[p.to];
  if (m.inert) {
    BQSIM_CHECK(out.sends.empty() && out.timers.empty() && out.events.empty(),
                "a message claimed ignored forever produced output");
  }
  absorb(next, p.to, std::move(node), out, log);
  if (m.inert) {
    BQSIM_CHECK(next.node_hash[p.to] == before, "a message claimed ignored forever changed its node");
  }
  return next;
}

void ExploreSystem::absorb(State& s, NodeId id, std::unique_ptr<Node> node, Outbox& out,
                           std::vector<Logged>* log) const {
  for (TraceEvent& e : out.events) {
    uint32_t t = s.clock;
    if (const auto* inv = std::get_if<OpInvoked>(&e)) {
      t = ++s.clock;
      s.history_sum += fact_invoked(*inv, t);
    } else if (const auto* done = std::get_if<OpCompleted>(&e)) {
      t = ++s.clock;
      s.history_sum += fact_completed(*done, t);
    } else if (const auto* a = std::get_if<WriteApplied>(&e)) {
      // The recorder ignores Byzantine servers' applies (§2): so does the state.
      if (a->server >= static_cast<NodeId>(n_) || byzantine_[a->server]) continue;
      s.history_sum += fact_applied(*a, t);
    } else {
      continue;  // ActionFired, BuffersInUse: no part of the verdict
    }
    if (log != nullptr) log->push_back(Logged{std::move(e), static_cast<double>(t)});
  }
  for (const Send& send : out.sends) {
    Pending p = make_pending(Pending::Kind::message, id, send.to, &send.msg, 0);
    s.pending_sum += p.hash;
    s.pending.push_back(std::move(p));
  }
  for (const TimerRequest& t : out.timers) {
    Pending p = make_pending(Pending::Kind::timer, id, id, nullptr, t.id);
    s.pending_sum += p.hash;
    s.pending.push_back(std::move(p));
  }
  StateHasher h(id);
  BQSIM_CHECK(node->hash_state(h), "an explorable node stopped fingerprinting");
  s.node_hash[id] = h.digest();
  s.nodes[id] = std::move(node);
}

CheckReport ExploreSystem::judge(const std::vector<Logged>& log, uint32_t clock) const {
  Recorder rec(n_, byzantine_);
  for (const Logged& e : log) rec.on_event(e.event, e.t);
  rec.finish(clock);
  return check_history(rec.ops());
}

std::string ExploreSystem::node_name(NodeId id) const {
  return id < static_cast<NodeId>(n_) ? "s" + std::to_string(id)
                                      : "c" + std::to_string(id - static_cast<NodeId>(n_));
}

std::string ExploreSystem::describe(const Message& m) const {
  std::string s(type_name(type_of(m)));
  s += "(op " + op_label(op_of(m)) + ", key " + std::to_string(key_of(m));
  if (const auto* r = std::get_if<TsReply>(&m)) {
    s += ", ts " + to_string(r->ts);
    if (r->sig != 0) s += ", pair " + pair_label(Pair{r->value, r->ts, r->sig});
  } else if (const auto* r = std::get_if<ReadReply>(&m)) {
    s += ", pair " + pair_label(r->pair);
  } else if (const auto* w = std::get_if<WriteRequest>(&m)) {
    s += ", pair " + pair_label(w->pair);
  } else if (const auto* a = std::get_if<WriteAck>(&m)) {
    s += ", ts " + to_string(a->ts);
  }
  return s + ")";
}

std::string ExploreSystem::describe(const Pending& p) const {
  switch (p.kind) {
    case Pending::Kind::start: return node_name(p.to) + " starts";
    case Pending::Kind::timer:
      return node_name(p.to) + " timer " + std::to_string(p.timer) + " fires";
    case Pending::Kind::message: break;
  }
  return node_name(p.from) + " -> " + node_name(p.to) + ": " + describe(p.msg);
}

std::string ExploreSystem::describe(const Logged& e) const {
  const std::string at = "[t=" + std::to_string(static_cast<uint64_t>(e.t)) + "] ";
  if (const auto* inv = std::get_if<OpInvoked>(&e.event)) {
    std::string s = at + "invoke " + std::string(to_string(inv->kind)) + " op " +
                    op_label(inv->op) + " by c" + std::to_string(inv->client);
    if (inv->kind == OpKind::write) s += " of " + value_label(inv->value);
    return s;
  }
  if (const auto* done = std::get_if<OpCompleted>(&e.event)) {
    std::string s = at + "return op " + op_label(done->op) + ": " +
                    std::string(to_string(done->outcome));
    if (done->outcome == Outcome::ok) s += " " + pair_label(done->pair);
    return s;
  }
  if (const auto* a = std::get_if<WriteApplied>(&e.event)) {
    return at + node_name(a->server) + " applied op " + op_label(a->op) + " (ts " +
           to_string(a->ts) + ")";
  }
  return at + "event";
}

}  // namespace bqsim
