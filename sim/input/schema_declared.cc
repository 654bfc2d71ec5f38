// The parts of the scenario schema that come from declarations: declared values (protocol
// options and behaviour parameters), distributions, the protocol section with each protocol's
// options, and the behaviours. schema.cc assembles them with the fixed sections.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "sim/input/scenario.h"
#include "sim/input/scenario_limits.h"
#include "sim/input/schema_internal.h"
#include "sim/model/check.h"
#include "sim/model/distribution.h"

namespace bqsim::schema_detail {
namespace {

// The bounds read_declared applies to an integer (value_readers.cc): the whole uint64 range
// for a counter (min >= 0, no upper bound), else within int64.
void integer_bounds(const OptionSpec& spec, Json& out) {
  out["type"] = "integer";
  if (spec.min >= 0 && std::isinf(spec.max)) {
    out["minimum"] = static_cast<uint64_t>(spec.min);
    out["maximum"] = kMaxUint64;
    return;
  }
  out["minimum"] = static_cast<int64_t>(std::max(spec.min, -9.2e18));
  out["maximum"] = static_cast<int64_t>(std::min(spec.max, 9.2e18));
}

// The declared default as a JSON value, when the text is one ("required", "all" and notes
// such as "2 * network.bound_s" are not).
std::optional<Json> typed_default(const OptionSpec& spec) {
  const std::string& t = spec.default_text;
  switch (spec.type) {
    case ValueType::number: {
      double x = 0;
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
      if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
      return Json(x);
    }
    case ValueType::integer: {
      uint64_t x = 0;
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
      if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
      return Json(x);
    }
    case ValueType::string:
      if (spec.choices.empty() ||
          std::find(spec.choices.begin(), spec.choices.end(), t) != spec.choices.end()) {
        return Json(t);
      }
      return std::nullopt;
    case ValueType::boolean:
      if (t == "true" || t == "false") return Json(t == "true");
      return std::nullopt;
    case ValueType::node_pattern: return Json(t);
    case ValueType::distribution:
    case ValueType::integer_list:
    case ValueType::string_list:
    case ValueType::node_pattern_groups: return std::nullopt;
  }
  return std::nullopt;
}

Json enum_of(const std::vector<std::string>& names) { return Json{{"enum", names}}; }

}  // namespace

Json declared_value(const OptionSpec& spec) {
  Json out;
  if (!spec.help.empty()) out["description"] = spec.help;
  switch (spec.type) {
    case ValueType::number:
      out["type"] = "number";
      if (std::isfinite(spec.min)) out["minimum"] = spec.min;
      if (std::isfinite(spec.max)) out["maximum"] = spec.max;
      break;
    case ValueType::integer: integer_bounds(spec, out); break;
    case ValueType::string:
      if (spec.choices.empty()) {
        out["type"] = "string";
      } else {
        out["enum"] = spec.choices;
      }
      break;
    case ValueType::boolean: out["type"] = "boolean"; break;
    case ValueType::distribution: out["$ref"] = "#/$defs/distribution"; break;
    case ValueType::integer_list: {
      Json item;
      integer_bounds(spec, item);
      out["type"] = "array";
      out["items"] = item;
      break;
    }
    case ValueType::string_list:
      out["type"] = "array";
      out["items"] = spec.choices.empty() ? Json{{"type", "string"}} : enum_of(spec.choices);
      break;
    case ValueType::node_pattern: out["$ref"] = "#/$defs/selector"; break;
    case ValueType::node_pattern_groups:
      out["type"] = "array";
      out["minItems"] = 1;
      out["items"] = {{"type", "array"}, {"minItems", 1}, {"items", {{"$ref", "#/$defs/selector"}}}};
      break;
  }
  if (const auto d = typed_default(spec)) out["default"] = *d;
  return out;
}

Json only_if_rule(const OptionSpec& spec, const OptionSpec& condition_key) {
  const Condition& c = *spec.only_if;
  const Json not_given = {{"not", {{"required", {spec.key}}}}};
  if (condition_key.default_text == c.value) {
    // Holds unless the other key is given with another value.
    return {
        {"if", {{"required", {c.key}}, {"properties", {{c.key, {{"not", {{"const", c.value}}}}}}}}},
        {"then", not_given}};
  }
  // Holds only when the other key is given with the value.
  return {{"if", {{"required", {c.key}}, {"properties", {{c.key, {{"const", c.value}}}}}}},
          {"else", not_given}};
}

Json distribution_schema() {
  Json kinds = Json::array();
  for (const DistDeclaration& d : distribution_declarations()) {
    Json props = {{"dist", true}};
    std::vector<std::string> required;
    for (const DistParam& p : d.params) {
      Json param = {{"type", "number"}};
      param[p.min_open ? "exclusiveMinimum" : "minimum"] = p.min;
      props[p.key] = param;
      required.push_back(p.key);
    }
    kinds.push_back({{"if", {{"properties", {{"dist", {{"const", d.name}}}}}}},
                     {"then",
                      {{"description", d.name + ": " + d.summary},
                       {"properties", props},
                       {"required", required},
                       {"additionalProperties", false}}}});
  }
  return {{"description",
           "A distribution of seconds (delays, think times). No parameter may allow a value "
           "below 0; uniform needs max_s >= min_s."},
          {"type", "object"},
          {"required", {"dist"}},
          {"properties", {{"dist", enum_of(distribution_names())}}},
          {"allOf", kinds}};
}

std::vector<std::string> bounded_distributions() {
  std::vector<std::string> names;
  for (const DistDeclaration& d : distribution_declarations()) {
    if (std::isfinite(Distribution{d.kind, 1, 1}.upper_bound())) names.push_back(d.name);
  }
  return names;
}

Json protocol_is(const Catalog& catalog, const std::vector<std::string>& names) {
  const Json named = {
      {"required", {"protocol"}},
      {"properties",
       {{"protocol", {{"required", {"name"}}, {"properties", {{"name", enum_of(names)}}}}}}}};
  const std::string fallback = ProtocolSpec{}.name;
  if (catalog.find_protocol(fallback) == nullptr ||
      std::find(names.begin(), names.end(), fallback) == names.end()) {
    return named;
  }
  // No protocol.name: the reader's default protocol.
  const Json unnamed = {
      {"not",
       {{"required", {"protocol"}}, {"properties", {{"protocol", {{"required", {"name"}}}}}}}}};
  return {{"anyOf", {named, unnamed}}};
}

Json protocol_schema(const Catalog& catalog) {
  using namespace scenario_limits;
  Json props = {
      {"name",
       {{"description", "A protocol as `bqsim list` prints it."},
        {"enum", names_of(*catalog.protocols)},
        {"default", ProtocolSpec{}.name}}},
      {"f",
       {{"description", "Byzantine servers the protocol tolerates."},
        {"type", "integer"},
        {"minimum", 0},
        {"maximum", kMaxF},
        {"default", ProtocolSpec{}.f}}},
      {"n",
       {{"description",
         "Servers. At least the protocol's minimum for f (`bqsim list`) unless allow_unsafe. "
         "Default: that minimum."},
        {"type", "integer"},
        {"minimum", 1},
        {"maximum", kMaxServers}}},
  };
  for (const ProtocolOption& o : protocol_options()) props[o.spec.key] = declared_value(o.spec);
  // Each protocol: the options its traits accept, and "f+1-th" only on masking families.
  Json rules = Json::array();
  for (const ProtocolDescription& p : *catalog.protocols) {
    std::vector<std::string> keys = {"name", "f", "n"};
    for (const ProtocolOption* o : p.options()) keys.push_back(o->spec.key);
    Json then = {{"propertyNames", enum_of(keys)}};
    Json per_data = Json::array();
    for (QuorumFamily family : p.families) {
      if (family_traits(family).masking) continue;
      const Json max_only = {{"properties", {{"ts_choice", {{"const", "max"}}}}}};
      if (p.families.size() == 1) {
        then.update(max_only);
        continue;
      }
      const std::string data(to_string(data_kind(family)));
      Json when = {{"properties", {{"data", {{"const", data}}}}}};
      if (data_kind(family) != ProtocolOptions{}.data) when["required"] = {"data"};
      per_data.push_back({{"if", when}, {"then", max_only}});
    }
    if (!per_data.empty()) then["allOf"] = per_data;
    const Json is_p = {{"required", {"name"}}, {"properties", {{"name", {{"const", p.name}}}}}};
    rules.push_back({{"if", is_p}, {"then", then}});
    if (p.name == ProtocolSpec{}.name) {
      rules.push_back({{"if", {{"not", {{"required", {"name"}}}}}}, {"then", then}});
    }
  }
  return {{"description",
           "The protocol and its options. A protocol accepts the options its quorum families' "
           "traits call for (`bqsim list` prints them); the others are rejected, so an option "
           "never silently does nothing. f+1-th needs masking quorums (generic data)."},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties", props},
          {"allOf", rules}};
}

Json behaviour_schema(const Catalog& catalog) {
  Json kinds = Json::array();
  for (const BehaviourInfo& b : *catalog.behaviours) {
    Json props = {{"kind", true}};
    if (b.at_key.empty()) {
      props["from_s"] = {{"description", "start of the window (seconds)"},
                         {"type", "number"},
                         {"minimum", 0},
                         {"default", 0}};
      props["until_s"] = {{"description", "end of the window (seconds), > from_s; default: never"},
                          {"type", "number"}};
    }
    std::vector<std::string> required;
    Json conditions = Json::array();
    for (const OptionSpec& p : b.params) {
      props[p.key] = declared_value(p);
      if (p.default_text == "required") required.push_back(p.key);
      if (p.only_if) {
        const auto other = std::find_if(b.params.begin(), b.params.end(), [&](const OptionSpec& q) {
          return q.key == p.only_if->key;
        });
        BQSIM_CHECK(other != b.params.end(), "a condition on an undeclared parameter");
        conditions.push_back(only_if_rule(p, *other));
      }
    }
    Json then = {{"description", b.name + ": " + b.summary},
                 {"properties", props},
                 {"additionalProperties", false}};
    if (!required.empty()) then["required"] = required;
    if (!conditions.empty()) then["allOf"] = conditions;
    kinds.push_back({{"if", {{"properties", {{"kind", {{"const", b.name}}}}}}}, {"then", then}});
  }
  return {{"description",
           "An adversary behaviour as `bqsim list` prints it (PROTOCOLS.md §6): its window "
           "(from_s, until_s; a behaviour that happens at one instant declares its own time "
           "instead) and the parameters it declares. Behaviours on one server apply in script "
           "order."},
          {"type", "object"},
          {"required", {"kind"}},
          {"properties", {{"kind", enum_of(names_of(*catalog.behaviours))}}},
          {"allOf", kinds}};
}

}  // namespace bqsim::schema_detail
