#include "sim/core/scenario_reader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/random.h"

namespace bqsim {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 16u << 20;

// Programmer errors are assertions that are always on (STYLE.md), never InputErrors.
void internal_check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bqsim: internal error in the scenario reader: %s\n", what);
    std::abort();
  }
}

bool pointer_under(const std::string& pointer, const std::string& prefix) {
  return pointer == prefix || pointer.starts_with(prefix + "/");
}

json parse_override_value(const std::string& text) {
  try {
    json v = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!v.is_discarded()) return v;
  } catch (const json::exception&) {
  }
  return json(text);
}

std::string hex64(uint64_t x) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
  return buf;
}

// The read context shared by the plain and the sweep paths.
struct Input {
  const Catalog& catalog;
  const std::string& file;
  std::vector<std::string> overridden;  // pointers set by --set

  // Errors at or under an overridden path come from the command line, not the file.
  [[noreturn]] void rethrow(InputError e) const {
    for (const std::string& p : overridden) {
      if (pointer_under(e.pointer, p)) {
        e.file = "--set";
        e.render();
        break;
      }
    }
    throw e;
  }

  Scenario read(const json& doc) const {
    try {
      return scenario_from_json(doc, file, catalog);
    } catch (const InputError& e) {
      rethrow(e);
    }
  }
};

void apply_overrides(json& doc, const ReadOptions& options, Input& input) {
  for (const std::string& o : options.set_overrides) {
    const size_t eq = o.find('=');
    const std::string path = o.substr(0, eq);
    const bool path_ok = split_dotted_path(path).has_value();
    if (eq == std::string::npos || !path_ok) {
      throw InputError("--set", path_ok ? dotted_to_pointer(path) : "",
                       "PATH=VALUE such as protocol.f=2", quote(o));
    }
    set_dotted_path(doc, path, parse_override_value(o.substr(eq + 1)), "--set");
    input.overridden.push_back(dotted_to_pointer(path));
  }
}

// One axis of a sweep: a dotted path and the values it takes.
struct Axis {
  std::string path;     // "protocol.f"
  std::string entry;    // "/sweep/protocol.f", where its values are in the file
  std::string target;   // "/protocol/f", where they land in each run
  const json* values;
};

std::vector<Axis> read_sweep_axes(const json& sweep, const std::string& file) {
  const JsonValue value(sweep, "/sweep", file);
  JsonObject block(value);
  if (sweep.empty()) value.fail("a map from dotted paths to lists of values", "an empty object");
  std::vector<Axis> axes;
  size_t runs = 1;
  for (const auto& [key, values] : sweep.items()) {
    const JsonValue v = *block.get(key);
    if (!split_dotted_path(key)) v.fail("a dotted path such as protocol.f", quote(key));
    if (key == "sweep" || key.starts_with("sweep.")) {
      v.fail("a path outside the sweep block", quote(key));
    }
    if (v.list("a non-empty list of values").empty()) v.fail("a non-empty list of values");
    runs = std::min(runs * values.size(), kMaxSweepRuns + 1);
    if (runs > kMaxSweepRuns) {
      value.fail("at most " + std::to_string(kMaxSweepRuns) + " runs in its cross product",
                 "more");
    }
    axes.push_back(Axis{key, v.pointer(), dotted_to_pointer(key), &values});
  }
  block.finish();
  return axes;
}

// Checks every run of the sweep's cross product; returns the first run's scenario and document.
std::pair<Scenario, json> read_sweep(const json& base, const json& sweep, const Input& input) {
  const std::vector<Axis> axes = read_sweep_axes(sweep, input.file);
  std::vector<size_t> at(axes.size(), 0);
  std::optional<std::pair<Scenario, json>> first;
  while (true) {
    json run = base;
    try {
      for (size_t i = 0; i < axes.size(); ++i) {
        set_dotted_path(run, axes[i].path, (*axes[i].values)[at[i]], input.file);
      }
      Scenario s = input.read(run);
      if (!first) first.emplace(std::move(s), std::move(run));
    } catch (const InputError& caught) {
      InputError e = caught;
      // Point at the swept value when the error is about it; otherwise say which run broke.
      std::vector<std::string> assignment;
      bool moved = false;
      for (size_t i = 0; i < axes.size(); ++i) {
        const json& x = (*axes[i].values)[at[i]];
        assignment.push_back(axes[i].path + "=" +
                             (x.is_string() ? x.get<std::string>() : x.dump()));
        if (!moved && e.file == input.file && pointer_under(e.pointer, axes[i].target)) {
          e.pointer =
              pointer_append(axes[i].entry, at[i]) + e.pointer.substr(axes[i].target.size());
          moved = true;
        }
      }
      if (!moved) e.got += " (in the sweep run with " + join(assignment, " and ") + ")";
      e.render();
      throw e;
    }
    // Next run, as an odometer: the last axis turns fastest.
    bool advanced = false;
    for (size_t i = axes.size(); i-- > 0 && !advanced;) {
      advanced = ++at[i] < axes[i].values->size();
      if (!advanced) at[i] = 0;
    }
    if (!advanced) break;
  }
  return std::move(*first);
}

}  // namespace

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
  internal_check(spec.type == "string-list", "an option of unknown type");
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
    internal_check(false, "an option in option_specs() that apply_option() does not store");
  }
}

Scenario read_scenario_text(const std::string& text, const std::string& file_label,
                            const ReadOptions& options, const Catalog& catalog) {
  internal_check(catalog.protocols != nullptr && catalog.behaviours != nullptr,
                 "a catalog without registries");
  Input input{catalog, file_label, {}};
  json doc = parse_json(text, file_label);
  apply_overrides(doc, options, input);
  if (options.seed && doc.is_object()) doc["seed"] = *options.seed;
  std::optional<json> sweep;
  if (doc.is_object() && doc.contains("sweep")) {
    if (!options.allow_sweep) {
      throw InputError(file_label, "/sweep",
                       "no sweep block (expand it with scripts/bqsim-batch)", "one");
    }
    sweep = std::move(doc["sweep"]);
    doc.erase("sweep");
  }
  Scenario s;
  if (sweep) {
    std::tie(s, doc) = read_sweep(doc, *sweep, input);
  } else {
    s = input.read(doc);
  }
  s.source_file = file_label;
  doc["seed"] = s.seed;  // so that the hash always covers the seed the run uses
  s.resolved = std::move(doc);
  // The resolved scenario must run from anywhere (batch copies, search trials): name the
  // platform file by its absolute path.
  if (!s.network.platform_file.empty()) {
    s.resolved["network"]["platform_file"] =
        std::filesystem::absolute(s.network.platform_file).lexically_normal().string();
  }
  s.hash = hex64(mix64(hash_name(s.resolved.dump())));
  return s;
}

Scenario read_scenario_file(const std::string& path, const ReadOptions& options,
                            const Catalog& catalog) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(path, "", "a readable file", "a directory");
  const uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    throw InputError(path, "", "a scenario of at most 16 MiB", std::to_string(size) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string reason = std::strerror(errno);
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
    throw InputError(path, "", "a readable file", reason);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return read_scenario_text(text.str(), path, options, catalog);
}

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
  // Digits only: from_chars stops at the first non-digit and still reports success ("1x").
  if (index.empty() || index.size() > 9 ||
      index.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  int64_t value = 0;
  std::from_chars(index.data(), index.data() + index.size(), value);
  s.index = value;
  return s;
}

std::string to_string(const NodeSelector& selector) {
  switch (selector.role) {
    case NodeSelector::Role::any: return "*";
    case NodeSelector::Role::server:
      return selector.index < 0 ? "server:*" : "server:" + std::to_string(selector.index);
    case NodeSelector::Role::client:
      return selector.index < 0 ? "client:*" : "client:" + std::to_string(selector.index);
  }
  return "?";
}

}  // namespace bqsim
