#include "sim/input/scenario_reader.h"

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

#include "sim/input/scenario_walk.h"
#include "sim/model/check.h"
#include "sim/model/random.h"

namespace bqsim {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 16u << 20;

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

Scenario read_scenario_text(const std::string& text, const std::string& file_label,
                            const ReadOptions& options, const Catalog& catalog) {
  BQSIM_CHECK(catalog.protocols != nullptr && catalog.behaviours != nullptr,
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
  // The engine never changes a trace (both handle events in bqsim's order), so runs on either
  // engine share one hash.
  json hashed = s.resolved;
  if (hashed.is_object()) hashed.erase("engine");
  s.hash = hex64(mix64(hash_name(hashed.dump())));
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

}  // namespace bqsim
