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
  // Per kind: the two parameter keys (b may be absent) and the range each must lie in. Every
  // value is a delay or a think time, so nothing may be drawn below 0; normal requires
  // mean_s >= 0 so that its truncation at 0 stays a small correction.
  struct Param {
    const char* key;
    Range range;
  };
  std::vector<Param> params;
  switch (out.kind) {
    case DistKind::constant: params = {{"value_s", Range::at_least(0)}}; break;
    case DistKind::uniform:
      params = {{"min_s", Range::at_least(0)}, {"max_s", Range::at_least(0)}};
      break;
    case DistKind::normal:
      params = {{"mean_s", Range::at_least(0)}, {"sd_s", Range::at_least(0)}};
      break;
    case DistKind::exponential: params = {{"mean_s", Range::above(0)}}; break;
    case DistKind::lognormal:
      params = {{"median_s", Range::above(0)}, {"sigma", Range::at_least(0)}};
      break;
    case DistKind::pareto:
      params = {{"scale_s", Range::above(0)}, {"shape", Range::above(0)}};
      break;
  }
  std::vector<std::string> keys = {"dist"};
  for (const Param& p : params) keys.push_back(p.key);
  d.allow(keys);
  double* slots[2] = {&out.a, &out.b};
  for (size_t i = 0; i < params.size(); ++i) {
    const Range& r = params[i].range;
    *slots[i] = d.require(params[i].key, "a number " + r.text()).number(r);
  }
  if (out.kind == DistKind::uniform && out.b < out.a) {
    d.get("max_s")->fail("a number >= min_s = " + format_number(out.a));
  }
  d.finish();
  return out;
}

namespace {

// One integer of a declaration (an "integer" option or an item of an "integer-list").
json read_declared_integer(const OptionSpec& spec, const JsonValue& value, double int_cap) {
  const double max = std::min(spec.max, int_cap);
  if (spec.min >= 0 && std::isinf(max)) {
    // Counters and values use the whole uint64 range, beyond what a double holds exactly.
    const uint64_t x = value.unsigned64();
    if (static_cast<double>(x) < spec.min) value.fail("an integer >= " + format_number(spec.min));
    return x;
  }
  // int64 bounds: the largest double below 2^63.
  const Range r{std::max(spec.min, -9.2e18), std::min(max, 9.2e18)};
  return value.integer(r);
}

// "a list of integers >= 0": the range of each item, worded as integer() words it.
std::string integer_list_expected(const OptionSpec& spec, double int_cap) {
  const double max = std::min(spec.max, int_cap);
  if (spec.min >= 0 && std::isinf(max)) {
    return spec.min > 0 ? "a list of integers >= " + format_number(spec.min)
                        : "a list of integers >= 0";
  }
  const std::string r = Range{spec.min, max}.text();
  return r.empty() ? "a list of integers" : "a list of integers " + r;
}

}  // namespace

json read_declared(const OptionSpec& spec, const JsonValue& value, double int_cap) {
  if (spec.type == "number") return value.number(Range{spec.min, spec.max});
  if (spec.type == "boolean") return value.boolean();
  if (spec.type == "string") {
    if (spec.choices.empty()) return value.string();
    return spec.choices[value.choice(spec.choices)];
  }
  if (spec.type == "integer") return read_declared_integer(spec, value, int_cap);
  if (spec.type == "distribution") {
    // Checked exactly as network.delay is (without the sync bound, which is the network's).
    read_distribution(value);
    return value.json();
  }
  if (spec.type == "integer-list") {
    json out = json::array();
    for (const JsonValue& item : value.list(integer_list_expected(spec, int_cap))) {
      out.push_back(read_declared_integer(spec, item, int_cap));
    }
    return out;
  }
  BQSIM_CHECK(spec.type == "string-list", "an option of unknown type");
  json out = json::array();
  const std::string expected =
      spec.choices.empty() ? "a list of strings" : "a list of strings among " + join(spec.choices);
  for (const JsonValue& item : value.list(expected)) {
    out.push_back(spec.choices.empty() ? item.string() : spec.choices[item.choice(spec.choices)]);
  }
  return out;
}

void apply_option(ProtocolOptions& o, const std::string& key, const json& v) {
  if (key == "contact") {
    o.contact = v.get<std::string>() == "all" ? Contact::all : Contact::quorum;
  } else if (key == "ts_choice") {
    o.ts_choice = v.get<std::string>() == "max" ? TsChoice::max : TsChoice::f1th;
  } else if (key == "data") {
    o.data = v.get<std::string>() == "generic" ? DataKind::generic : DataKind::self_verifying;
  } else if (key == "t") {
    o.t = v.get<int>();
  } else if (key == "buffers") {
    o.buffers = v.get<int>();
  } else if (key == "signature_bytes") {
    o.signature_bytes = v.get<uint32_t>();
  } else {
    double* const numbers[] = {&o.contact_widen_s,  &o.timeout_s,        &o.retransmit_initial_s,
                               &o.retransmit_backoff, &o.retransmit_cap_s, &o.sign_cpu_s,
                               &o.verify_cpu_s};
    const char* const keys[] = {"contact_widen_s",    "timeout_s",        "retransmit_initial_s",
                                "retransmit_backoff", "retransmit_cap_s", "sign_cpu_s",
                                "verify_cpu_s"};
    for (size_t i = 0; i < std::size(keys); ++i) {
      if (key == keys[i]) {
        *numbers[i] = v.get<double>();
        return;
      }
    }
    BQSIM_CHECK(false, "an option in option_specs() that apply_option() does not store");
  }
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
