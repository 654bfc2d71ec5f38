// Sweeps: a scenario's "sweep" block (dotted path -> list of values) expanded into the points of
// its cross product, each named as its directory in a batch's results, and the runs of a batch
// (points × seeds) split into shards. The one implementation of sweep expansion: `bqsim expand`
// prints it for scripts, `bqsim run --point` runs one point. No SimGrid here.
//
// Point names are exactly the directory labels the batch runner's Python expansion produced
// (results/README.md "Layout of a batch"), so existing result directories stay valid: the swept
// paths in sorted order, `path=value` joined by ','; an object value as its dotted sub-paths, an
// array as its items joined by '+'; a non-string value written as Python's
// json.dumps(v, separators=(",", ":"), sort_keys=True) writes it; then sanitise_name().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/behaviour_info.h"
#include "sim/input/scenario.h"

namespace bqsim {

using Overrides = std::vector<std::pair<std::string, nlohmann::json>>;  // dotted path, value

struct SweepPoint {
  size_t index = 0;     // position in the cross product, the last path turning fastest
  std::string name;     // its directory label; "default" when there is no sweep
  Overrides overrides;  // in sorted path order
};

// The points of a sweep block. REQUIRES: `sweep` is an object of dotted paths to non-empty
// lists (the scenario reader checks this). A null `sweep` gives the one point "default".
// Throws InputError (file, /sweep) when two points get the same name.
std::vector<SweepPoint> expand_sweep(const nlohmann::json& sweep, const std::string& file);

// The directory label of one point (see the header comment).
std::string point_name(const Overrides& overrides);
// A file-system-safe name: every run of characters outside [A-Za-z0-9._,=+@-] becomes '_',
// leading '.' and '-' are dropped ("_" if nothing is left); above 200 characters it becomes
// the first 180, '~' and 12 hex digits of the SHA-1 of the original text.
std::string sanitise_name(std::string_view text);
// A value as Python's json.dumps(v, separators=(",", ":"), sort_keys=True) writes it (ASCII
// only, \uXXXX escapes), except that a string at the top is written bare.
std::string value_text(const nlohmann::json& value);
// repr() of a Python float: the shortest digits that read back, fixed notation for exponents
// from -5 to 15 ("0.0001", "1e-05", "1000000000000000.0", "1e+16").
std::string python_float_repr(double x);
std::string sha1_hex(std::string_view data);

// A deterministic 1/N of a batch's runs: run r (its index over points × seeds, in order)
// belongs to shard r mod N. Round robin, so every shard gets a share of every point.
struct Shard {
  uint64_t index = 0;  // 0 <= index < count
  uint64_t count = 1;
  bool contains(uint64_t run) const { return run % count == index; }
};
// "I/N" with 0 <= I < N <= 1e6; nullopt otherwise.
std::optional<Shard> parse_shard(std::string_view text);

// A scenario file read for its sweep: every run of the cross product checked (with the
// overrides), the base document without the sweep block, and the points.
struct SweepFile {
  std::string file;
  std::string name;         // the scenario's name (bqsim run's default output directory)
  std::string dir_name;     // sanitise_name(name): the scenario's directory in a batch
  nlohmann::json base;      // the file's document without "sweep" (before --set)
  std::vector<std::string> swept_paths;
  std::vector<SweepPoint> points;
  uint64_t seed = 1;        // the file's seed (after --set)
};
// Throws InputError: the file's own errors, a --set on a swept path, or a swept "seed".
SweepFile read_sweep_file(const std::string& path, const std::vector<std::string>& sets,
                          const Catalog& catalog);
// The point named `which` (its name, or its index in decimal); nullptr if none.
const SweepPoint* find_point(const SweepFile& sweep, std::string_view which);
// The scenario of one point with one seed (the file's when unset), read and checked as
// `bqsim run` reads a file: its hash is the one the run's manifest will carry.
Scenario read_point(const SweepFile& sweep, const SweepPoint& point, std::optional<uint64_t> seed,
                    const std::vector<std::string>& sets, const Catalog& catalog);

}  // namespace bqsim
