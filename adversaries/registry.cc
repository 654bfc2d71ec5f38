#include "adversaries/registry.h"

#include <functional>
#include <string>
#include <utility>

#include "adversaries/bad_signature.h"
#include "adversaries/behaviour_params.h"
#include "adversaries/byzantine_server.h"
#include "adversaries/coalition.h"
#include "adversaries/crash.h"
#include "adversaries/equivocate.h"
#include "adversaries/forge.h"
#include "adversaries/omit.h"
#include "adversaries/pair_history.h"
#include "adversaries/silent.h"
#include "adversaries/slow.h"
#include "adversaries/stale.h"
#include "adversaries/ts_inflate.h"
#include "sim/model/check.h"

namespace bqsim {
namespace {

// What a factory builds one behaviour from: its spec, the server's context, the run's
// coalitions, and its place in the server's script (for its own random stream).
struct Build {
  const BehaviourSpec& spec;
  const NodeContext& ctx;
  CoalitionSet& coalitions;
  uint32_t script_index;
};
using MakeBehaviour = std::function<std::unique_ptr<Behaviour>(const Build&)>;

// One entry per behaviour: what the reader and `bqsim list` know of it, and how it is built.
// Adding a behaviour: its files in adversaries/ and one entry here.
//
// Parameter types the scenario reader checks (scenario_reader.h, read_declared): number,
// integer, string (with choices), boolean, distribution (an object as network.delay),
// integer-list, string-list (items among choices). A default_text of "required" means the
// parameter must be given. Rules between parameters (k only with which = k-th-newest, ...)
// are in the reader's check_behaviour_rules (sim/input/scenario_byzantine.cc).
struct Entry {
  BehaviourInfo info;
  MakeBehaviour make;
};

const std::vector<std::string>& message_type_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (size_t t = 0; t < kMessageTypes; ++t) {
      names.emplace_back(type_name(static_cast<MessageType>(t)));
    }
    return names;
  }();
  return kNames;
}

MessageType message_type(const std::string& name) {
  const auto& names = message_type_names();
  for (size_t t = 0; t < names.size(); ++t) {
    if (names[t] == name) return static_cast<MessageType>(t);
  }
  BQSIM_CHECK(false, "omit: a message type the reader should have refused");
  return MessageType::ts_query;
}

// The string parameter `key`'s index among `choices` (validated by the reader).
size_t choice(const BehaviourSpec& spec, const std::string& key, const std::string& fallback,
              const std::vector<std::string>& choices) {
  const std::string v = BehaviourParams(spec).string(key, fallback);
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == v) return i;
  }
  BQSIM_CHECK(false, "a choice the reader should have refused");
  return 0;
}

const std::vector<std::string> kStaleWhich = {"oldest", "k-th-newest"};
const std::vector<std::string> kEquivocateModes = {"by-client", "by-request"};
const std::vector<std::string> kEquivocateLies = {"stale", "forge"};
const std::vector<std::string> kOmitDirections = {"in", "out", "both"};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"silent", "never answers: drops every message it receives in its window", {}, false},
       [](const Build& b) {
         return std::make_unique<Silent>(b.spec.from_s, b.spec.until_s);
       }},
      {{"forge",
        "answers reads with a made-up pair agreed with its coalition, by default with a huge ts",
        {
            {"coalition", "string", "default",
             "colluders naming the same coalition report one agreed pair", {}},
            // 2^62: far above any counter a run reaches, still below 2^64 for wrap tests.
            {"ts_counter", "integer", "4611686018427387904",
             "counter of the forged timestamp (the writer id is 0xffffffff)", {}, 0.0},
            {"value", "integer", "",
             "forged value; default: one with the forged bit set, derived from the coalition",
             {}, 0.0},
            {"answer_ts_queries", "boolean", "false",
             "also report the forged timestamp in timestamp phases (inflation, §6)", {}},
        },
        true},
       [](const Build& b) {
         // The reader rejects forge on self-verifying data: a pair without the writer's
         // signature cannot be forged (§1).
         BQSIM_CHECK(b.ctx.data == DataKind::generic, "forge on self-verifying data");
         return std::make_unique<Forge>(b.spec, b.coalitions.get(b.spec.coalition));
       }},
      {{"crash",
        "crashes at at_s for good: from then on drops every message, never answers or applies "
        "writes (no from_s/until_s: use silent for a window)",
        {{"at_s", "number", "0", "simulated time of the crash (seconds)", {}, 0.0}},
        false},
       [](const Build& b) {
         return std::make_unique<Crash>(BehaviourParams(b.spec).number("at_s", Crash::kDefaultAtS));
       }},
      {{"stale",
        "answers reads and timestamp queries with an older pair it once held (a replay: valid "
        "on signed data too)",
        {{"which", "string", "k-th-newest",
          "oldest: the initial pair; k-th-newest: the pair held k writes before the current",
          kStaleWhich},
         {"k", "integer", "1",
          "with which = k-th-newest: 1 is the pair before the current (the initial pair if "
          "fewer were held)",
          {}, 1.0, static_cast<double>(PairHistory::kMaxDepth)}},
        false},
       [](const Build& b) {
         const BehaviourParams p(b.spec);
         const auto which = static_cast<Stale::Which>(
             choice(b.spec, "which", "k-th-newest", kStaleWhich));
         return std::make_unique<Stale>(b.spec.from_s, b.spec.until_s, which,
                                        p.unsigned64("k", Stale::kDefaultK), b.ctx.data);
       }},
      {{"equivocate",
        "answers clients (or requests) differently: even client indices (or every other "
        "request) get the correct answer, the others a lie",
        {{"mode", "string", "by-client",
          "by-client: odd client indices get the lie; by-request: every second answer does",
          kEquivocateModes},
         {"lie", "string", "stale",
          "stale: the pair before the current one; forge: the coalition's pair (generic data "
          "only)",
          kEquivocateLies},
         {"coalition", "string", "default",
          "with lie = forge: colluders naming the same coalition report one agreed pair", {}}},
        false},
       [](const Build& b) {
         const auto mode = static_cast<Equivocate::Mode>(
             choice(b.spec, "mode", "by-client", kEquivocateModes));
         const auto lie =
             static_cast<Equivocate::Lie>(choice(b.spec, "lie", "stale", kEquivocateLies));
         const Coalition* coalition = nullptr;
         if (lie == Equivocate::Lie::forge) {
           Coalition& c = b.coalitions.get(b.spec.coalition);
           c.agree(Forge::proposal(b.spec));
           coalition = &c;
         }
         return std::make_unique<Equivocate>(b.spec.from_s, b.spec.until_s, mode, lie, b.ctx.n,
                                             b.ctx.data, coalition);
       }},
      {{"slow",
        "answers correctly but late: each send gets an extra delay from its own distribution",
        {{"delay", "distribution", "required",
          "extra delay per send, an object as network.delay (drawn from the server's own "
          "stream)",
          {}}},
        false},
       [](const Build& b) {
         return std::make_unique<Slow>(b.spec.from_s, b.spec.until_s,
                                       BehaviourParams(b.spec).distribution("delay"),
                                       Slow::stream(b.ctx, b.script_index));
       }},
      {{"omit",
        "drops the messages of chosen clients and types, going in, out or both",
        // Indices below the reader's client limit (10^6); the reader also checks them
        // against workload.clients.
        {{"clients", "integer-list", "all",
          "client indices whose messages are dropped; absent or empty: every client", {}, 0.0,
          999999.0},
         {"types", "string-list", "all",
          "message types dropped (ts_query, read, write arrive; ts_reply, read_reply, "
          "write_ack leave); absent or empty: every type",
          message_type_names()},
         {"direction", "string", "both",
          "in: requests before the server sees them; out: its replies; both", kOmitDirections}},
        false},
       [](const Build& b) {
         const BehaviourParams p(b.spec);
         std::vector<MessageType> types;
         for (const std::string& t : p.string_list("types")) types.push_back(message_type(t));
         const auto direction = static_cast<Omit::Direction>(
             choice(b.spec, "direction", "both", kOmitDirections));
         return std::make_unique<Omit>(b.spec.from_s, b.spec.until_s, p.unsigned_list("clients"),
                                       std::move(types), direction, b.ctx.n);
       }},
      {{"ts-inflate",
        "reports a counter near the largest in timestamp phases, so max-choosing writers wrap "
        "(timestamp inflation; unsigned, so useless on signed data)",
        {{"margin", "integer", "0",
          "report 2^timestamp_bits - 1 - margin (at most 2^timestamp_bits - 1)", {}, 0.0}},
        false},
       [](const Build& b) {
         return std::make_unique<TsInflate>(
             b.spec.from_s, b.spec.until_s,
             BehaviourParams(b.spec).unsigned64("margin", TsInflate::kDefaultMargin),
             b.ctx.timestamp_bits);
       }},
      {{"bad-signature",
        "answers with a made-up pair whose signature does not verify (self-verifying data: what "
        "a correct reader must drop; generic data: an unvouched forgery)",
        {},
        false},
       [](const Build& b) {
         return std::make_unique<BadSignature>(b.spec.from_s, b.spec.until_s,
                                               b.ctx.timestamp_bits);
       }},
  };
  return kEntries;
}

}  // namespace

const std::vector<BehaviourInfo>& behaviour_registry() {
  static const std::vector<BehaviourInfo> kInfos = [] {
    std::vector<BehaviourInfo> infos;
    for (const Entry& e : entries()) infos.push_back(e.info);
    return infos;
  }();
  return kInfos;
}

CoalitionSet::CoalitionSet() = default;
CoalitionSet::~CoalitionSet() = default;

Coalition& CoalitionSet::get(const std::string& name) {
  auto& slot = coalitions_[name];
  if (!slot) slot = std::make_unique<Coalition>(name);
  return *slot;
}

std::unique_ptr<Node> make_byzantine_server(std::unique_ptr<Node> correct,
                                            const std::vector<BehaviourSpec>& behaviours,
                                            const NodeContext& ctx, CoalitionSet& coalitions) {
  BQSIM_CHECK(correct != nullptr && !behaviours.empty(), "a Byzantine server needs behaviours");
  std::vector<std::unique_ptr<Behaviour>> built;
  built.reserve(behaviours.size());
  for (const BehaviourSpec& spec : behaviours) {
    const Entry* entry = nullptr;
    for (const Entry& e : entries()) {
      if (e.info.name == spec.kind) entry = &e;
    }
    // The scenario reader validated the names against behaviour_registry().
    BQSIM_CHECK(entry != nullptr, "unknown behaviour kind");
    built.push_back(
        entry->make(Build{spec, ctx, coalitions, static_cast<uint32_t>(built.size())}));
  }
  return std::make_unique<ByzantineServer>(ctx.id, std::move(correct), std::move(built));
}

}  // namespace bqsim
