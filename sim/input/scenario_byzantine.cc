// The byzantine section of a scenario: which servers are Byzantine (by id or by count, each
// at most once, at most f unless allow_unsafe) and the behaviours scripted for them, each
// checked against its declaration in the catalog (behaviour_info.h): window, parameters,
// conditions between them, and the behaviour's own rules. No behaviour is known here by name.
// The rest of the walk is in scenario_walk.cc and the other scenario_<section>.cc files.
#include "sim/input/scenario_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/model/check.h"
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
    // A behaviour that happens at one instant (its at_key) and lasts has no window.
    const bool windowed = info.at_key.empty();
    if (!windowed) {
      // Before allow(), so that these keys get their reason and are never suggested.
      b.forbid("from_s", "no from_s for " + spec.kind + " (it starts at " + info.at_key + ")");
      b.forbid("until_s",
               "no until_s for " + spec.kind + " (it is permanent: use silent for a window)");
    }
    std::vector<std::string> allowed = {"kind"}, params;
    if (windowed) allowed.insert(allowed.end(), {"from_s", "until_s"});
    for (const OptionSpec& p : info.params) params.push_back(p.key);
    allowed.insert(allowed.end(), params.begin(), params.end());
    const std::string own = windowed ? "one of kind, from_s, until_s" : "kind";
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
    // Kept as written, but each parameter as read_declared checked it (1e18 becomes the
    // integer 10^18), so the behaviour reads its declared type.
    spec.params = value.json();
    for (const OptionSpec& p : info.params) {
      const auto v = b.get(p.key);
      if (!v) {
        if (p.default_text == "required") {
          fail(pointer_append(b.pointer(), p.key),
               expected_words(p) + " (" + spec.kind + " requires " + p.key + ")", "nothing");
        }
        continue;
      }
      spec.params[p.key] = read_declared(p, *v);
    }
    for (const OptionSpec& p : info.params) {
      if (p.only_if && !condition_holds(info, *p.only_if, b)) {
        b.forbid(p.key, "no " + p.key + " unless " + p.only_if->key + " is " + p.only_if->value);
      }
    }
    if (info.check) info.check(Params(b, spec.params, facts()));
    b.finish();
    return spec;
  }

  // The condition's key as written, else its declared default.
  static bool condition_holds(const BehaviourInfo& info, const Condition& c, JsonObject& b) {
    if (const auto v = b.get(c.key)) return v->json() == c.value;
    for (const OptionSpec& p : info.params) {
      if (p.key == c.key) return p.default_text == c.value;
    }
    BQSIM_CHECK(false, "a condition on a parameter the behaviour does not declare");
    return false;
  }

  ScenarioFacts facts() const {
    ScenarioFacts f;
    f.protocol = s_.protocol.name;
    f.data = data_kind(family_);
    f.n = s_.protocol.n;
    f.f = s_.protocol.f;
    f.clients = s_.workload.clients;
    f.timestamp_bits = s_.timestamp_bits;
    return f;
  }

  // A behaviour's parameters for its own rules: `values` as read_declared returned them (each
  // of its declared type), failures at their place in `object`.
  class Params final : public BehaviourCheck {
   public:
    Params(const JsonObject& object, const json& values, ScenarioFacts facts)
        : object_(object), values_(values), facts_(std::move(facts)) {}
    const ScenarioFacts& scenario() const override { return facts_; }
    bool has(std::string_view key) const override { return find(key) != nullptr; }
    std::string text(std::string_view key, std::string_view fallback) const override {
      const json* v = find(key);
      return v ? v->get<std::string>() : std::string(fallback);
    }
    uint64_t count(std::string_view key, uint64_t fallback) const override {
      const json* v = find(key);
      return v ? v->get<uint64_t>() : fallback;
    }
    std::vector<uint64_t> counts(std::string_view key) const override {
      std::vector<uint64_t> out;
      if (const json* v = find(key)) {
        for (const json& x : *v) out.push_back(x.get<uint64_t>());
      }
      return out;
    }
    [[noreturn]] void fail(std::string_view key, const std::string& expected) const override {
      at(key).fail(expected);
    }
    [[noreturn]] void fail_item(std::string_view key, size_t index,
                                const std::string& expected) const override {
      const std::vector<JsonValue> items = at(key).list();
      BQSIM_CHECK(index < items.size(), "a rule failing an item the list lacks");
      items[index].fail(expected);
    }

   private:
    const json* find(std::string_view key) const {
      const auto it = values_.find(std::string(key));
      return it == values_.end() ? nullptr : &*it;
    }
    // The value as written, for the error's "got".
    JsonValue at(std::string_view key) const {
      const auto& written = object_.self().json();
      const auto it = written.find(std::string(key));
      BQSIM_CHECK(it != written.end(), "a rule failing a parameter that is absent");
      return JsonValue(*it, pointer_append(object_.pointer(), key), object_.self().file());
    }

    const JsonObject& object_;
    const json& values_;
    ScenarioFacts facts_;
  };

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
