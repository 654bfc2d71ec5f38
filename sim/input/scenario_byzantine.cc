// The byzantine section of a scenario: which servers are Byzantine (by id or by count, each
// at most once, at most f unless allow_unsafe) and the behaviours scripted for them, each
// checked against its declaration in the catalog (behaviour_info.h) and against the rules
// between parameters that a per-parameter declaration cannot state. The rest of the walk is
// in scenario.cc and the other scenario_<section>.cc files.
#include "sim/input/scenario_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/model/protocol.h"
#include "sim/input/value_readers.h"

namespace bqsim::scenario_detail {
namespace {

using nlohmann::json;

// Reads one byzantine section. One instance per section, holding what its checks need from
// the rest of the scenario.
class ByzantineReader {
 public:
  ByzantineReader(const Catalog& catalog, const std::string& file, QuorumFamily family,
                  Scenario& s)
      : catalog_(catalog), file_(file), family_(family), s_(s) {}

  void read_byzantine(const JsonValue& value) {
    // Which entry made each server Byzantine, for the duplicate message.
    std::map<NodeId, std::string> listed;
    for (const JsonValue& entry_value : value.list("a list of {servers, behaviours} entries")) {
      JsonObject e(entry_value);
      e.allow({"servers", "count", "behaviours"});
      ByzantineSpec entry;
      const auto add = [&](NodeId id, const JsonValue& where) {
        const auto [it, fresh] = listed.emplace(id, where.pointer());
        if (!fresh) where.fail("a server not already Byzantine (" + it->second + " has it)",
                               std::to_string(id));
        entry.servers.push_back(id);
      };
      const int n = s_.protocol.n;
      const auto count = e.get("count");
      if (auto v = e.get("servers")) {
        if (count) count->fail("no count alongside servers (give one of the two)");
        const auto ids = v->list("a non-empty list of server ids");
        if (ids.empty()) v->fail("a non-empty list of server ids");
        for (const JsonValue& id : ids) {
          const double x = id.json().is_number() ? id.json().get<double>() : -1;
          if (x != std::floor(x) || x < 0 || x >= n) {
            id.fail("a server id from 0 to " + std::to_string(n - 1));
          }
          add(static_cast<NodeId>(x), id);
        }
      } else if (count) {
        const auto k = count->integer(Range::closed(1, n));
        for (int64_t id = 0; id < k; ++id) add(static_cast<NodeId>(id), *count);
      } else {
        fail(pointer_append(e.pointer(), "servers"), "a list of server ids (or a count)",
             "nothing");
      }
      const JsonValue behaviours = e.require("behaviours", "a non-empty list of behaviours");
      for (const JsonValue& b : behaviours.list("a non-empty list of behaviours")) {
        entry.behaviours.push_back(read_behaviour(b));
      }
      if (entry.behaviours.empty()) behaviours.fail("a non-empty list of behaviours");
      e.finish();
      s_.byzantine.push_back(std::move(entry));
    }
    if (static_cast<int>(listed.size()) > s_.protocol.f) {
      if (!s_.allow_unsafe) {
        fail("/byzantine",
             "at most f = " + std::to_string(s_.protocol.f) + " Byzantine servers for " +
                 s_.protocol.name + " (or allow_unsafe)",
             std::to_string(listed.size()));
      }
      s_.unsafe = true;
    }
  }

 private:
  [[noreturn]] void fail(const std::string& pointer, const std::string& expected,
                         const std::string& got) const {
    throw InputError(file_, pointer, expected, got);
  }

  BehaviourSpec read_behaviour(const JsonValue& value) {
    JsonObject b(value);
    BehaviourSpec spec;
    const auto names = names_of(*catalog_.behaviours);
    const JsonValue kind = b.require("kind", one_of(names));
    spec.kind = names[kind.choice(names)];
    const BehaviourInfo& info = *catalog_.find_behaviour(spec.kind);
    // A behaviour that declares at_s (crash) happens at one time and lasts: it has no window.
    const bool at_time = std::any_of(info.params.begin(), info.params.end(),
                                     [](const OptionSpec& p) { return p.key == "at_s"; });
    if (at_time) {
      // Before allow(), so that these keys get their reason and are never suggested.
      b.forbid("from_s", "no from_s for " + spec.kind + " (it starts at at_s)");
      b.forbid("until_s",
               "no until_s for " + spec.kind + " (it is permanent: use silent for a window)");
    }
    std::vector<std::string> allowed = {"kind"}, params;
    if (!at_time) allowed.insert(allowed.end(), {"from_s", "until_s"});
    for (const OptionSpec& p : info.params) params.push_back(p.key);
    allowed.insert(allowed.end(), params.begin(), params.end());
    const std::string own = at_time ? "kind" : "one of kind, from_s, until_s";
    b.allow(allowed, own + (params.empty() ? " (" + spec.kind + " takes no parameters)"
                                           : " or a parameter of " + spec.kind + " (" +
                                                 join(params) + ")"));
    if (info.generic_data_only && data_kind(family_) == DataKind::self_verifying) {
      kind.fail("a behaviour possible against self-verifying data (" + s_.protocol.name +
                    "'s values are signed)",
                quote(spec.kind) + " (generic data only)");
    }
    if (auto v = b.get("from_s")) spec.from_s = v->number(Range::at_least(0));
    if (auto v = b.get("until_s")) {
      spec.until_s = v->number();
      if (!(spec.until_s > spec.from_s)) {
        v->fail("a number > from_s = " + format_number(spec.from_s));
      }
    }
    for (const OptionSpec& p : info.params) {
      const auto v = b.get(p.key);
      if (!v) {
        // A declared default of "required" (adversaries/registry.cc): no default exists.
        if (p.default_text == "required") {
          fail(pointer_append(b.pointer(), p.key),
               type_words(p) + " (" + spec.kind + " requires " + p.key + ")", "nothing");
        }
        continue;
      }
      const json x = read_declared(p, *v, std::numeric_limits<double>::infinity());
      // The fields BehaviourSpec names; other parameters stay in `params` for their behaviour.
      if (p.key == "coalition" && x.is_string()) spec.coalition = x.get<std::string>();
      if (p.key == "ts_counter" && x.is_number_unsigned()) spec.ts_counter = x.get<uint64_t>();
      if (p.key == "value" && x.is_number_unsigned()) spec.value = x.get<ValueId>();
      if (p.key == "answer_ts_queries" && x.is_boolean()) spec.answer_ts_queries = x.get<bool>();
    }
    check_behaviour_rules(spec.kind, b);
    spec.params = value.json();
    b.finish();
    return spec;
  }

  // How a required parameter's type reads in "expected ...".
  static std::string type_words(const OptionSpec& p) {
    if (p.type == "distribution") return "a distribution object";
    if (p.type == "integer-list") return "a list of integers";
    if (p.type == "string-list") return "a list of strings";
    if (p.type == "boolean") return "true or false";
    return "a " + p.type;
  }

  // Rules between one behaviour's parameters, or between a parameter and the rest of the
  // scenario, that a per-parameter declaration cannot state. They name behaviours, so they
  // would sit better beside each BehaviourInfo (as a check hook); until behaviour_info.h has
  // one, they are here, each with the behaviour it belongs to. Every value was type-checked.
  void check_behaviour_rules(const std::string& kind, JsonObject& b) {
    const auto text = [&](const char* key, const char* fallback) {
      const auto v = b.get(key);
      return v ? v->json().get<std::string>() : std::string(fallback);
    };
    if (kind == "stale") {
      // k picks among held pairs; "oldest" is always the initial pair.
      if (text("which", "k-th-newest") != "k-th-newest") {
        b.forbid("k", "no k unless which is k-th-newest");
      }
    } else if (kind == "equivocate") {
      const std::string lie = text("lie", "stale");
      if (lie != "forge") b.forbid("coalition", "no coalition unless lie is forge");
      if (lie == "forge" && data_kind(family_) == DataKind::self_verifying) {
        b.get("lie")->fail("stale (" + s_.protocol.name +
                           "'s values are signed: forged lies need generic data)");
      }
    } else if (kind == "omit") {
      // An index beyond the workload's clients would silently drop nothing.
      if (auto v = b.get("clients")) {
        for (const JsonValue& c : v->list()) {
          if (c.json().get<uint64_t>() >= s_.workload.clients) {
            c.fail("a client index below workload.clients = " +
                   std::to_string(s_.workload.clients));
          }
        }
      }
    } else if (kind == "ts-inflate") {
      // The reported counter 2^bits - 1 - margin must be a counter of that width.
      if (auto v = b.get("margin")) {
        const uint32_t bits = s_.timestamp_bits;
        const uint64_t largest = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
        if (v->json().get<uint64_t>() > largest) {
          v->fail("an integer <= 2^timestamp_bits - 1 = " + std::to_string(largest));
        }
      }
    }
  }

  const Catalog& catalog_;
  const std::string& file_;
  QuorumFamily family_;
  Scenario& s_;
};

}  // namespace

void read_byzantine(const JsonValue& value, Walk& w) {
  ByzantineReader(w.catalog, w.file, w.family, w.s).read_byzantine(value);
}

}  // namespace bqsim::scenario_detail
