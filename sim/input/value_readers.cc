#include "sim/input/value_readers.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sim/model/check.h"

namespace bqsim {

using nlohmann::json;

Distribution read_distribution(const JsonValue& value) {
  JsonObject d(value);
  const auto& names = distribution_names();
  const JsonValue dist = d.require("dist", one_of(names));
  Distribution out;
  out.kind = static_cast<DistKind>(dist.choice(names));
  const DistDeclaration& declared = distribution_declarations()[static_cast<size_t>(out.kind)];
  std::vector<std::string> keys = {"dist"};
  for (const DistParam& p : declared.params) keys.push_back(p.key);
  d.allow(keys);
  double* slots[2] = {&out.a, &out.b};
  BQSIM_CHECK(declared.params.size() <= 2, "a distribution with more than two parameters");
  for (size_t i = 0; i < declared.params.size(); ++i) {
    const DistParam& p = declared.params[i];
    const Range r = p.min_open ? Range::above(p.min) : Range::at_least(p.min);
    *slots[i] = d.require(p.key, "a number " + r.text()).number(r);
  }
  if (out.kind == DistKind::uniform && out.b < out.a) {
    d.get("max_s")->fail("a number >= min_s = " + format_number(out.a));
  }
  d.finish();
  return out;
}

namespace {

// One integer of a declaration (an "integer" option or an item of an "integer-list").
json read_declared_integer(const OptionSpec& spec, const JsonValue& value) {
  if (spec.min >= 0 && std::isinf(spec.max)) {
    // Counters and values use the whole uint64 range, beyond what a double holds exactly.
    const uint64_t x = value.unsigned64();
    if (static_cast<double>(x) < spec.min) value.fail("an integer >= " + format_number(spec.min));
    return x;
  }
  // int64 bounds: the largest double below 2^63.
  const Range r{std::max(spec.min, -9.2e18), std::min(spec.max, 9.2e18)};
  return value.integer(r);
}

// "a list of integers >= 0": the range of each item, worded as integer() words it.
std::string integer_list_expected(const OptionSpec& spec) {
  if (spec.min >= 0 && std::isinf(spec.max)) {
    return spec.min > 0 ? "a list of integers >= " + format_number(spec.min)
                        : "a list of integers >= 0";
  }
  const std::string r = Range{spec.min, spec.max}.text();
  return r.empty() ? "a list of integers" : "a list of integers " + r;
}

json read_string_list(const OptionSpec& spec, const JsonValue& value) {
  json out = json::array();
  const std::string expected =
      spec.choices.empty() ? "a list of strings" : "a list of strings among " + join(spec.choices);
  for (const JsonValue& item : value.list(expected)) {
    out.push_back(spec.choices.empty() ? item.string() : spec.choices[item.choice(spec.choices)]);
  }
  return out;
}

}  // namespace

json read_declared(const OptionSpec& spec, const JsonValue& value) {
  switch (spec.type) {
    case ValueType::number: return value.number(Range{spec.min, spec.max});
    case ValueType::boolean: return value.boolean();
    case ValueType::string:
      if (spec.choices.empty()) return value.string();
      return spec.choices[value.choice(spec.choices)];
    case ValueType::integer: return read_declared_integer(spec, value);
    case ValueType::distribution:
      // Checked exactly as network.delay is (without the sync bound, which is the network's).
      read_distribution(value);
      return value.json();
    case ValueType::integer_list: {
      json out = json::array();
      for (const JsonValue& item : value.list(integer_list_expected(spec))) {
        out.push_back(read_declared_integer(spec, item));
      }
      return out;
    }
    case ValueType::string_list: return read_string_list(spec, value);
    case ValueType::node_pattern:
      if (!parse_node_selector(value.string())) value.fail(kNodePatternExpected);
      return value.json();
    case ValueType::node_pattern_groups: {
      const auto groups = value.list(kGroupsExpected);
      if (groups.empty()) value.fail(kGroupsExpected, "an empty list");
      for (const JsonValue& g : groups) {
        const auto patterns = g.list(kGroupsExpected);
        if (patterns.empty()) g.fail(kGroupsExpected, "an empty group");
        for (const JsonValue& p : patterns) {
          if (!p.json().is_string() || !parse_node_selector(p.string())) {
            p.fail(kNodePatternExpected);
          }
        }
      }
      return value.json();
    }
  }
  BQSIM_CHECK(false, "a declared value of no known type");
  return nullptr;
}

std::string expected_words(const OptionSpec& spec) {
  const std::string range = Range{spec.min, spec.max}.text();
  switch (spec.type) {
    case ValueType::number: return range.empty() ? "a number" : "a number " + range;
    case ValueType::integer: return range.empty() ? "an integer" : "an integer " + range;
    case ValueType::string: return spec.choices.empty() ? "a string" : one_of(spec.choices);
    case ValueType::boolean: return "true or false";
    case ValueType::distribution: return "a distribution object";
    case ValueType::integer_list: return "a list of integers";
    case ValueType::string_list: return "a list of strings";
    case ValueType::node_pattern: return kNodePatternExpected;
    case ValueType::node_pattern_groups: return kGroupsExpected;
  }
  return "a value";
}

void store_option(ProtocolOptions& options, const ProtocolOption& option, const json& v) {
  switch (option.spec.type) {
    case ValueType::number:
    case ValueType::integer: option.store_number(options, v.get<double>()); return;
    case ValueType::string: {
      const auto& choices = option.spec.choices;
      const auto it = std::find(choices.begin(), choices.end(), v.get<std::string>());
      BQSIM_CHECK(it != choices.end(), "a choice read_declared should have refused");
      option.store_choice(options, static_cast<size_t>(it - choices.begin()));
      return;
    }
    case ValueType::boolean:
    case ValueType::distribution:
    case ValueType::integer_list:
    case ValueType::string_list:
    case ValueType::node_pattern:
    case ValueType::node_pattern_groups: break;
  }
  BQSIM_CHECK(false, "a protocol option of a type ProtocolOptions cannot hold");
}

namespace {

// Digits only, at most 9 of them: from_chars stops at the first non-digit and still reports
// success ("1x"), and 9 digits stay far inside int64.
std::optional<int64_t> parse_index(std::string_view text) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

std::optional<NodeSelector> parse_node_selector(std::string_view text) {
  NodeSelector s;
  if (text == "*") return s;
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view role = text.substr(0, colon), index = text.substr(colon + 1);
  if (role == "server") s.role = NodeSelector::Role::server;
  else if (role == "client") s.role = NodeSelector::Role::client;
  else return std::nullopt;
  if (index == "*") return s;
  const size_t dash = index.find('-');
  const auto first = parse_index(index.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : parse_index(index.substr(dash + 1));
  if (!first || !last || *last < *first) return std::nullopt;
  s.index = *first;
  s.last = *last;
  return s;
}

std::string to_string(const NodeSelector& selector) {
  std::string role;
  switch (selector.role) {
    case NodeSelector::Role::any: return "*";
    case NodeSelector::Role::server: role = "server:"; break;
    case NodeSelector::Role::client: role = "client:"; break;
  }
  if (selector.index < 0) return role + "*";
  if (selector.last == selector.index) return role + std::to_string(selector.index);
  return role + std::to_string(selector.index) + "-" + std::to_string(selector.last);
}

}  // namespace bqsim
